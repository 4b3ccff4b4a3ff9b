package raftlog

import (
	"errors"
	"fmt"
	"math"

	"github.com/dgraph-io/badger/v4"
)

// deleteChunk is how many keys DeleteRange reads before deleting them, so
// that compacting a long log does not hold every key in memory at once.
const deleteChunk = 4096

// DeleteRange deletes the entries from min to max inclusive. Raft calls it
// to compact the log after a snapshot and to cut off a conflicting suffix.
// Indexes with no entry are skipped.
func (s *Store) DeleteRange(min, max uint64) error {
	if min > max {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.db.IsClosed() {
		return fmt.Errorf("raft log: delete entries %d to %d: %w", min, max, ErrClosed)
	}
	if err := s.deleteRange(min, max); err != nil {
		// Some of the range may be gone: read the bounds afresh.
		return errors.Join(fmt.Errorf("raft log: delete entries %d to %d: %w", min, max, err), s.loadBounds())
	}
	return s.noteDeleted(min, max)
}

func (s *Store) deleteRange(from, to uint64) error {
	for {
		indexes, err := s.indexesIn(from, to, deleteChunk)
		if err != nil || len(indexes) == 0 {
			return err
		}
		if err := s.deleteIndexes(indexes); err != nil {
			return err
		}
		last := indexes[len(indexes)-1]
		if last >= to || last == math.MaxUint64 {
			return nil
		}
		from = last + 1
	}
}

// indexesIn returns up to limit stored indexes from lo to hi, in order.
func (s *Store) indexesIn(lo, hi uint64, limit int) ([]uint64, error) {
	var indexes []uint64
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{logPrefix}})
		defer it.Close()
		for it.Seek(logKey(lo)); it.Valid() && len(indexes) < limit; it.Next() {
			i, _ := logIndex(it.Item().Key())
			if i > hi {
				break
			}
			indexes = append(indexes, i)
		}
		return nil
	})
	return indexes, err
}

// deleteIndexes deletes the entries at indexes, in as few transactions as
// Badger allows.
func (s *Store) deleteIndexes(indexes []uint64) error {
	txn := s.db.NewTransaction(true)
	defer func() { txn.Discard() }()
	for _, i := range indexes {
		err := txn.Delete(logKey(i))
		if errors.Is(err, badger.ErrTxnTooBig) {
			if err := txn.Commit(); err != nil {
				return err
			}
			txn = s.db.NewTransaction(true)
			err = txn.Delete(logKey(i))
		}
		if err != nil {
			return err
		}
	}
	return txn.Commit()
}
