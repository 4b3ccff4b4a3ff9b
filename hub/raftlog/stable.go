package raftlog

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// Raft reads its current term and last vote through the StableStore. On a
// fresh store they are missing, and Raft accepts either a nil error or one
// whose text is "not found" (api.go, raft.go). This store follows
// raft.StableStore's own doc: a missing key reads as empty or 0, nil error.

// Set stores val under key.
func (s *Store) Set(key, val []byte) error {
	err := s.db.Update(func(txn *badger.Txn) error {
		return txn.Set(stableKey(key), val)
	})
	if err != nil {
		return fmt.Errorf("raft log: set %q: %w", key, err)
	}
	return nil
}

// Get returns the value under key; a missing key (or an empty value) reads
// as nil with a nil error.
func (s *Store) Get(key []byte) ([]byte, error) {
	var val []byte
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(stableKey(key))
		if err != nil {
			return err
		}
		if item.ValueSize() > 0 {
			val, err = item.ValueCopy(nil)
		}
		return err
	})
	if err != nil && !errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fmt.Errorf("raft log: get %q: %w", key, err)
	}
	return val, nil
}

// SetUint64 stores val under key as 8 bytes big-endian.
func (s *Store) SetUint64(key []byte, val uint64) error {
	return s.Set(key, binary.BigEndian.AppendUint64(nil, val))
}

// GetUint64 returns the number SetUint64 stored under key; a missing key
// reads as 0 with a nil error.
func (s *Store) GetUint64(key []byte) (uint64, error) {
	val, err := s.Get(key)
	switch {
	case err != nil:
		return 0, err
	case val == nil:
		return 0, nil
	case len(val) != 8:
		return 0, fmt.Errorf("raft log: get %q: %w: %d bytes, not a uint64", key, ErrCorrupt, len(val))
	}
	return binary.BigEndian.Uint64(val), nil
}
