package localstore

import (
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Value log garbage collection. Profiles over 1 KiB live in Badger's
// value log, and every feed change writes a profile again, so without
// collection the log only grows on a PC that runs for years. Badger
// rewrites a value log file only when asked, and only one whose discard
// statistics (kept by compactions) say at least valueLogDiscard of it is
// stale.
const (
	valueLogGCInterval = 10 * time.Minute
	valueLogDiscard    = 0.5
	// valueLogGCRuns bounds one pass: each run rewrites at most one file.
	valueLogGCRuns = 16
)

// CollectValueLog rewrites stale value log files until none is worth it
// (or valueLogGCRuns did), and reports how many it rewrote.
func (s *Store) CollectValueLog() (int, error) {
	for n := range valueLogGCRuns {
		err := s.db.RunValueLogGC(valueLogDiscard)
		if errors.Is(err, badger.ErrNoRewrite) || errors.Is(err, badger.ErrRejected) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("value log gc: %w", err)
		}
	}
	return valueLogGCRuns, nil
}

// collectValueLogEvery runs CollectValueLog every interval until stop is
// closed, then closes done.
func (s *Store) collectValueLogEvery(interval time.Duration, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		n, err := s.CollectValueLog()
		switch {
		case err != nil:
			s.log.Warn("value log collection failed; will retry", "err", err)
		case n > 0:
			s.log.Info("value log collected", "files_rewritten", n)
		}
	}
}
