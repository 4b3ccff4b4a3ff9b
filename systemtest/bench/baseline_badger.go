package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// rawBadger measures Badger's durable write ceiling on this disk: SyncWrites
// on, transactions of batch values of eventSize bytes, from writers
// goroutines for d. It returns values per second.
func rawBadger(dir string, batch, writers int, d time.Duration) (float64, error) {
	path := filepath.Join(dir, fmt.Sprintf("raw-badger-%d", batch))
	defer os.RemoveAll(path)
	db, err := badger.Open(badger.DefaultOptions(path).WithSyncWrites(true).WithLogger(nil).
		WithMemTableSize(16 << 20).WithValueLogFileSize(64 << 20))
	if err != nil {
		return 0, fmt.Errorf("open raw badger: %w", err)
	}
	defer db.Close()
	value := make([]byte, eventSize)
	var written atomic.Int64
	var firstErr error
	var once sync.Once
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; time.Now().Before(stop); n++ {
				err := db.Update(func(txn *badger.Txn) error {
					for i := range batch {
						if err := txn.Set(fmt.Appendf(nil, "w%02d-%09d-%03d", w, n, i), value); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				written.Add(int64(batch))
			}
		}()
	}
	wg.Wait()
	return float64(written.Load()) / d.Seconds(), firstErr
}
