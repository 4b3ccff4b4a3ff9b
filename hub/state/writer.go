package state

import (
	"errors"
	"fmt"

	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// writer is the transaction of one Apply. A big batch is committed in
// parts (at checkpoints between events, or when the store says the
// transaction is too big); that is safe because every command is
// idempotent and the applied index is written last. Storage errors
// panic: a replica that cannot write must stop rather than diverge.
type writer struct {
	db      kv.DB
	txn     kv.Txn
	pending int    // writes in txn
	onPart  func() // tests: called after each part is committed
	// observe, when set, sees every write once it is in the transaction.
	observe func(k, v []byte, deleted bool)
}

func newWriter(db kv.DB) *writer {
	return &writer{db: db, txn: db.Update()}
}

func (w *writer) set(k, v []byte) {
	w.pending++
	err := w.txn.Set(k, v)
	if errors.Is(err, kv.ErrTxnTooBig) {
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
	if errors.Is(err, kv.ErrTxnTooBig) {
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
	w.txn = w.db.Update()
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
		panic(fmt.Sprintf("state: %s: %v", what, err))
	}
}

// get returns the value at k, or nil and false.
func get(r kv.Reader, k []byte) ([]byte, bool) {
	v, ok, err := r.Get(k)
	must(err, "get")
	return v, ok
}

// scan calls fn for every key under prefix, in order, until fn returns false.
func scan(r kv.Reader, prefix []byte, fn func(k, v []byte) bool) {
	scanFrom(r, prefix, prefix, fn)
}

// scanFrom is scan starting at the first key at or after start.
func scanFrom(r kv.Reader, prefix, start []byte, fn func(k, v []byte) bool) {
	must(r.Scan(prefix, start, true, fn), "scan")
}

// keysUnder lists the keys under prefix without reading values.
func keysUnder(r kv.Reader, prefix []byte) [][]byte {
	return keysUnderLimit(r, prefix, -1)
}

// keysUnderLimit lists at most limit keys under prefix (all when limit
// is negative).
func keysUnderLimit(r kv.Reader, prefix []byte, limit int) [][]byte {
	var keys [][]byte
	if limit == 0 {
		return nil
	}
	must(r.Scan(prefix, prefix, false, func(k, _ []byte) bool {
		keys = append(keys, k)
		return limit < 0 || len(keys) < limit
	}), "scan keys")
	return keys
}
