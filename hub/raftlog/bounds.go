package raftlog

import (
	"fmt"
	"math"

	"github.com/dgraph-io/badger/v4"
)

// The first and last index are read from Badger on Open and after a failed
// delete, and otherwise kept up to date by the writes themselves.

// loadBounds reads the first and last index from the database.
func (s *Store) loadBounds() error {
	first, err := s.seekFirst(0)
	if err != nil {
		return err
	}
	last, err := s.seekLast(math.MaxUint64)
	if err != nil {
		return err
	}
	s.setBounds(first, last)
	return nil
}

// seekFirst returns the lowest index at or above from, or 0 if none.
func (s *Store) seekFirst(from uint64) (uint64, error) {
	return s.seek(from, false)
}

// seekLast returns the highest index at or below upTo, or 0 if none.
func (s *Store) seekLast(upTo uint64) (uint64, error) {
	return s.seek(upTo, true)
}

func (s *Store) seek(at uint64, reverse bool) (index uint64, err error) {
	err = s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{logPrefix}, Reverse: reverse})
		defer it.Close()
		// logKey(MaxUint64) is prefix+0xFF..., the point a reverse
		// iteration over the whole prefix has to start from.
		it.Seek(logKey(at))
		if it.Valid() {
			index, _ = logIndex(it.Item().Key())
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("raft log: find the log's bounds: %w", err)
	}
	return index, nil
}

func (s *Store) bounds() (first, last uint64) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.first, s.last
}

// setBounds records the bounds, both 0 unless they make a log.
func (s *Store) setBounds(first, last uint64) {
	if first == 0 || last == 0 || first > last {
		first, last = 0, 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.first, s.last = first, last
}

// noteStored widens the bounds to take in indexes lo to hi, just stored.
func (s *Store) noteStored(lo, hi uint64) {
	first, last := s.bounds()
	if first == 0 || lo < first {
		first = lo
	}
	s.setBounds(first, max(last, hi))
}

// noteDeleted narrows the bounds after every entry from lo to hi was
// deleted. The log may have gaps, so a new bound is found by seeking.
func (s *Store) noteDeleted(lo, hi uint64) error {
	first, last := s.bounds()
	if first == 0 {
		return nil
	}
	var err error
	if lo <= first {
		first = 0
		if hi < math.MaxUint64 {
			first, err = s.seekFirst(hi + 1)
		}
	}
	if err == nil && hi >= last {
		last = 0
		if lo > 0 {
			last, err = s.seekLast(lo - 1)
		}
	}
	if err != nil {
		return err
	}
	s.setBounds(first, last)
	return nil
}
