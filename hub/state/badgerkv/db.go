package badgerkv

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// Options are the Badger options of the FSM state, sized for a hub node
// (benchmarks use them too, so that they measure what ships).
func Options(dir string, log *slog.Logger) badger.Options {
	return badger.DefaultOptions(dir).
		WithLogger(badgerLogger{log}).
		WithMemTableSize(16 << 20).
		WithValueLogFileSize(64 << 20).
		WithBlockCacheSize(32 << 20).
		WithIndexCacheSize(16 << 20).
		WithNumVersionsToKeep(1)
}

// DB is a kv.DB kept in Badger.
type DB struct{ db *badger.DB }

var _ kv.DB = (*DB)(nil)

// Open opens (or creates) the Badger database in dir with Options.
func Open(dir string, log *slog.Logger) (*DB, error) {
	db, err := badger.Open(Options(dir, log))
	if err != nil {
		return nil, fmt.Errorf("open badger %s: %w", dir, err)
	}
	return &DB{db: db}, nil
}

// Wrap serves an open Badger database; the caller keeps closing it.
func Wrap(db *badger.DB) *DB { return &DB{db: db} }

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// View runs fn in a read-only transaction.
func (d *DB) View(fn func(kv.Reader) error) error {
	return d.db.View(func(txn *badger.Txn) error { return fn(txnView{txn}) })
}

// Update starts a read-write transaction.
func (d *DB) Update() kv.Txn { return &txn{txnView{d.db.NewTransaction(true)}} }

// Snapshot opens a read transaction kept until release.
func (d *DB) Snapshot() (kv.Reader, func()) {
	t := d.db.NewTransaction(false)
	return txnView{t}, t.Discard
}

// ReplaceAll drops every key and loads what fill puts, in one write batch.
func (d *DB) ReplaceAll(fill func(put func(k, v []byte) error) error) error {
	if err := d.db.DropAll(); err != nil {
		return fmt.Errorf("clear state: %w", err)
	}
	wb := d.db.NewWriteBatch()
	defer wb.Cancel()
	if err := fill(wb.Set); err != nil {
		return fmt.Errorf("load key: %w", err)
	}
	return wb.Flush()
}

// txnView reads through a Badger transaction.
type txnView struct{ t *badger.Txn }

func (v txnView) Get(k []byte) ([]byte, bool, error) {
	item, err := v.t.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	val, err := item.ValueCopy(nil)
	return val, err == nil, err
}

func (v txnView) Scan(prefix, start []byte, withValues bool, fn func(k, v []byte) bool) error {
	opts := badger.DefaultIteratorOptions
	opts.Prefix = prefix
	// Most scans read a few keys: prefetching a hundred values in the
	// background costs more than reading each value when it is needed.
	// A scan of everything (a snapshot) is the exception.
	opts.PrefetchValues = withValues && len(prefix) == 0
	it := v.t.NewIterator(opts)
	defer it.Close()
	for it.Seek(start); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		var val []byte
		if withValues {
			var err error
			if val, err = item.ValueCopy(nil); err != nil {
				return err
			}
		}
		if !fn(item.KeyCopy(nil), val) {
			return nil
		}
	}
	return nil
}

// txn is a read-write Badger transaction.
type txn struct{ txnView }

func (t *txn) Set(k, v []byte) error { return tooBig(t.t.Set(k, v)) }
func (t *txn) Delete(k []byte) error { return tooBig(t.t.Delete(k)) }
func (t *txn) Commit() error         { return t.t.Commit() }
func (t *txn) Discard()              { t.t.Discard() }

func tooBig(err error) error {
	if errors.Is(err, badger.ErrTxnTooBig) {
		return kv.ErrTxnTooBig
	}
	return err
}
