package store

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// writer is the Badger transaction of one Apply. A big batch is committed
// in parts (at checkpoints between events, or when Badger says the
// transaction is too big); that is safe because every command is
// idempotent and the applied index is written last. Storage errors panic:
// a replica that cannot write must stop rather than diverge.
type writer struct {
	db      *badger.DB
	txn     *badger.Txn
	pending int    // writes in txn
	onPart  func() // tests: called after each part is committed
	// observe, when set, sees every write once it is in the transaction.
	observe func(k, v []byte, deleted bool)
}

func newWriter(db *badger.DB) *writer {
	return &writer{db: db, txn: db.NewTransaction(true)}
}

func (w *writer) set(k, v []byte) {
	w.pending++
	err := w.txn.Set(k, v)
	if errors.Is(err, badger.ErrTxnTooBig) {
		w.commitPart()
		err = w.txn.Set(k, v)
	}
	must(err, "set")
	if w.observe != nil {
		w.observe(k, v, false)
	}
}

func (w *writer) delete(k []byte) {
	w.pending++
	err := w.txn.Delete(k)
	if errors.Is(err, badger.ErrTxnTooBig) {
		w.commitPart()
		err = w.txn.Delete(k)
	}
	must(err, "delete")
	if w.observe != nil {
		w.observe(k, nil, true)
	}
}

func (w *writer) commitPart() {
	must(w.txn.Commit(), "commit part")
	w.txn = w.db.NewTransaction(true)
	w.pending = 0
	if w.onPart != nil {
		w.onPart()
	}
}

// maxPending bounds the writes one transaction holds between commands.
// Badger sorts a transaction's pending writes for every iterator opened
// in it, so a big batch in one transaction costs quadratic time.
const maxPending = 64

// checkpoint commits the writes so far when there are many; it is called
// between commands, where the state is consistent.
func (w *writer) checkpoint() { w.checkpointThen(nil) }

// checkpointThen is checkpoint that lets the caller add its own writes to
// the part just before it commits.
func (w *writer) checkpointThen(before func()) {
	if w.pending >= maxPending {
		if before != nil {
			before()
		}
		w.commitPart()
	}
}

func (w *writer) commit() { must(w.txn.Commit(), "commit") }

func (w *writer) discard() { w.txn.Discard() }

func must(err error, what string) {
	if err != nil {
		panic(fmt.Sprintf("store: %s: %v", what, err))
	}
}

// reader is what both a writer's transaction and a read-only view offer.
type reader interface {
	Get(key []byte) (*badger.Item, error)
	NewIterator(opt badger.IteratorOptions) *badger.Iterator
}

// get returns the value at k, or nil and false.
func get(r reader, k []byte) ([]byte, bool) {
	item, err := r.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, false
	}
	must(err, "get")
	v, err := item.ValueCopy(nil)
	must(err, "read value")
	return v, true
}

// scan calls fn for every key under prefix, in order, until fn returns false.
func scan(r reader, prefix []byte, fn func(k, v []byte) bool) {
	scanFrom(r, prefix, prefix, fn)
}

// scanFrom is scan starting at the first key at or after start.
func scanFrom(r reader, prefix, start []byte, fn func(k, v []byte) bool) {
	opts := badger.DefaultIteratorOptions
	opts.Prefix = prefix
	// Most scans read a few keys: prefetching a hundred values in the
	// background costs more than reading each value when it is needed.
	opts.PrefetchValues = false
	it := r.NewIterator(opts)
	defer it.Close()
	for it.Seek(start); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		v, err := item.ValueCopy(nil)
		must(err, "read value")
		if !fn(item.KeyCopy(nil), v) {
			return
		}
	}
}

// keysUnder lists the keys under prefix without reading values.
func keysUnder(r reader, prefix []byte) [][]byte {
	opts := badger.DefaultIteratorOptions
	opts.Prefix = prefix
	opts.PrefetchValues = false
	it := r.NewIterator(opts)
	defer it.Close()
	var keys [][]byte
	for it.Rewind(); it.Valid(); it.Next() {
		keys = append(keys, it.Item().KeyCopy(nil))
	}
	return keys
}

// keysUnderLimit lists at most limit keys under prefix.
func keysUnderLimit(r reader, prefix []byte, limit int) [][]byte {
	opts := badger.DefaultIteratorOptions
	opts.Prefix = prefix
	opts.PrefetchValues = false
	it := r.NewIterator(opts)
	defer it.Close()
	var keys [][]byte
	for it.Rewind(); it.Valid() && len(keys) < limit; it.Next() {
		keys = append(keys, it.Item().KeyCopy(nil))
	}
	return keys
}
