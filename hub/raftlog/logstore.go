package raftlog

import (
	"errors"
	"fmt"
	"math"

	"github.com/dgraph-io/badger/v4"
	"github.com/hashicorp/raft"
)

// FirstIndex returns the first index in the log, or 0 if it is empty.
func (s *Store) FirstIndex() (uint64, error) {
	first, _ := s.bounds()
	return first, nil
}

// LastIndex returns the last index in the log, or 0 if it is empty.
func (s *Store) LastIndex() (uint64, error) {
	_, last := s.bounds()
	return last, nil
}

// GetLog reads the entry at index into log, or returns raft.ErrLogNotFound.
func (s *Store) GetLog(index uint64, log *raft.Log) error {
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(logKey(index))
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error { return decodeLog(index, v, log) })
	})
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		return raft.ErrLogNotFound
	case errors.Is(err, ErrCorrupt):
		return err
	case err != nil:
		return fmt.Errorf("raft log: read entry %d: %w", index, err)
	}
	return nil
}

// StoreLog stores one entry.
func (s *Store) StoreLog(log *raft.Log) error {
	return s.StoreLogs([]*raft.Log{log})
}

// StoreLogs stores entries given in index order. They go in as few
// transactions as Badger allows; should one fail, the entries before it
// are stored and those from it on are not. Index 0, which Raft never uses,
// is refused: 0 is what FirstIndex and LastIndex return for an empty log.
func (s *Store) StoreLogs(logs []*raft.Log) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.db.IsClosed() {
		return fmt.Errorf("raft log: store entries: %w", ErrClosed)
	}
	txn := s.db.NewTransaction(true)
	defer func() { txn.Discard() }()
	start := 0 // logs[start:i] are in txn
	for i, l := range logs {
		if l.Index == 0 {
			return fmt.Errorf("raft log: store entry 0: %w", ErrIndexZero)
		}
		v, err := encodeLog(l)
		if err != nil {
			return err
		}
		err = txn.Set(logKey(l.Index), v)
		if errors.Is(err, badger.ErrTxnTooBig) {
			if err := s.commitStored(txn, logs[start:i]); err != nil {
				return err
			}
			txn, start = s.db.NewTransaction(true), i
			err = txn.Set(logKey(l.Index), v)
		}
		if err != nil {
			return fmt.Errorf("raft log: store entry %d: %w", l.Index, err)
		}
	}
	return s.commitStored(txn, logs[start:])
}

// commitStored commits txn, which holds logs, and widens the bounds.
func (s *Store) commitStored(txn *badger.Txn, logs []*raft.Log) error {
	err := txn.Commit() // an empty txn is only discarded
	if len(logs) == 0 {
		return err
	}
	if err != nil {
		return fmt.Errorf("raft log: store entries %d to %d: %w", logs[0].Index, logs[len(logs)-1].Index, err)
	}
	lo, hi := uint64(math.MaxUint64), uint64(0)
	for _, l := range logs {
		lo, hi = min(lo, l.Index), max(hi, l.Index)
	}
	s.noteStored(lo, hi)
	return nil
}
