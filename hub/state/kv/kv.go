// Package kv is the ordered key/value storage that hub/state runs on,
// as interfaces: the state never sees a file, a socket or a clock.
package kv

import "errors"

// ErrTxnTooBig is what a Txn answers when it holds all it can; the
// caller then commits a part and goes on.
var ErrTxnTooBig = errors.New("transaction too big")

// The state keeps its key space in an ordered key/value store that the
// caller opens and injects (hub/state/badgerkv in production and in
// tests). The state itself never sees a file, a socket or a clock: that
// is what keeps Apply deterministic and this package pure.

// Reader is a consistent read view of the key space.
type Reader interface {
	// Get returns a copy of the value at key; found is false when there
	// is none.
	Get(key []byte) (value []byte, found bool, err error)
	// Scan calls fn with copies of every key under prefix at or after
	// start, in key order, until fn returns false; v is nil unless
	// withValues.
	Scan(prefix, start []byte, withValues bool, fn func(k, v []byte) bool) error
}

// Txn is a read-write transaction: a Reader that also sees its own
// writes.
type Txn interface {
	Reader
	// Set writes key; ErrTxnTooBig means the transaction is full.
	Set(key, value []byte) error
	// Delete removes key; ErrTxnTooBig means the transaction is full.
	Delete(key []byte) error
	// Commit makes the writes durable and visible, all or none.
	Commit() error
	// Discard ends the transaction, dropping writes not committed.
	Discard()
}

// DB is the store the state lives in.
type DB interface {
	// View runs fn in a consistent read view.
	View(fn func(Reader) error) error
	// Update starts a read-write transaction.
	Update() Txn
	// Snapshot opens a read view that stays consistent until released,
	// while writes go on.
	Snapshot() (view Reader, release func())
	// ReplaceAll deletes every key, then writes the pairs fill puts.
	ReplaceAll(fill func(put func(k, v []byte) error) error) error
}
