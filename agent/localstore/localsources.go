package localstore

import (
	"bytes"
	"sync"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/customer"
)

// localSources are the sources of the events recorded here. A dealer
// records under its own source, while most of a profile's events come
// from other channels and dealers, so a profile from the hub is searched
// for local copies of its events from these sources only. The set only
// grows while the store is open: a source no longer recorded costs
// lookups, never a missed local copy.
type localSources struct {
	mu  sync.RWMutex
	set map[string]bool
}

func (l *localSources) add(source string) {
	l.mu.RLock()
	known := l.set[source]
	l.mu.RUnlock()
	if known {
		return
	}
	l.mu.Lock()
	if l.set == nil {
		l.set = map[string]bool{}
	}
	l.set[source] = true
	l.mu.Unlock()
}

// recorded returns those of events whose source has local events.
func (l *localSources) recorded(events []customer.Event) []customer.Event {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []customer.Event
	for i := range events {
		if l.set[events[i].Source] {
			out = append(out, events[i])
		}
	}
	return out
}

// loadLocalSources finds the sources of the local events at open, seeking
// past each source's events instead of walking them.
func (s *Store) loadLocalSources() error {
	return s.db.View(func(bt *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix, opts.PrefetchValues = []byte(prefixLocal), false
		it := bt.NewIterator(opts)
		defer it.Close()
		for it.Seek([]byte(prefixLocal)); it.Valid(); {
			rest := it.Item().Key()[len(prefixLocal):]
			end := bytes.IndexByte(rest, 0)
			if end < 0 {
				end = len(rest)
			}
			source := string(rest[:end])
			s.sources.add(source)
			it.Seek(append(key(prefixLocal, source), 1)) // past "<source>\0…"
		}
		return nil
	})
}
