package localstore

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/protocol"
)

// Errors of the local store.
var (
	// ErrNotFound means no profile has that id here.
	ErrNotFound = errors.New("not found")
	// ErrExists means a staff account of that name is already here.
	ErrExists = errors.New("already exists")
)

// Options configure the store.
type Options struct {
	Region string // country for phone numbers written without one
	Logger *slog.Logger
	// EncryptionKey (32 bytes, AES-256) encrypts the database at rest;
	// nil leaves it in clear (tests only).
	EncryptionKey []byte

	// memTableSize replaces the memtable size (tests: a small one makes
	// Badger's transaction size limit easy to reach); valueLogFileSize
	// the value log's file size (tests: small files to collect).
	memTableSize, valueLogFileSize int64
}

// Store is the agent's local database.
type Store struct {
	db     *badger.DB
	region string
	outbox chan struct{} // signalled when an event is recorded
	log    *slog.Logger

	// gcStop ends the value log collector; gcDone is closed once it has.
	gcStop, gcDone chan struct{}
	gcOnce         sync.Once

	// recordMu serialises Record: every recording reads and bumps the
	// outbox sequence, so concurrent ones would fail with ErrConflict.
	recordMu sync.Mutex
	// beforeRecordCommit, when set (tests only), runs inside a recording
	// transaction just before it commits; an error aborts it.
	beforeRecordCommit func() error

	// audits group-commits the audit log's entries.
	audits *auditQueue

	// profiles counts the cached profiles: counted once at open, then
	// moved by each committed change that adds or drops one, so Status
	// does not walk the whole scope.
	profiles atomic.Int64

	// outboxFloor is the lowest outbox sequence the last Pending found.
	// Outbox sequences only grow, so nothing below it can appear again,
	// and Pending starts there instead of walking over the deleted
	// (acknowledged) entries at the front, which Badger keeps as
	// tombstones until compaction: draining a long outbox from the start
	// each time cost time quadratic in its length.
	outboxFloor atomic.Uint64

	// outboxLen counts the outbox entries like profiles: counted at
	// open, then moved by each committed recording and acknowledgement.
	outboxLen atomic.Int64

	// sources are the sources of the events recorded here.
	sources localSources

	// dir and wm are set by OpenChecked: the watermark follows the
	// outbox sequence and feed cursor, and Close notes the table sums.
	dir string
	wm  *watermark
}

// Open opens (or creates) the database in dir, sized for a shop PC.
func Open(dir string, o Options) (*Store, error) {
	db, err := badger.Open(badgerOptions(dir, o))
	if err != nil {
		return nil, fmt.Errorf("open local store %s: %w", dir, err)
	}
	s := &Store{db: db, region: o.Region, outbox: make(chan struct{}, 1), log: o.Logger.With("component", "localstore")}
	n, err := s.countKeys(prefixProfile)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open local store %s: count profiles: %w", dir, err)
	}
	s.profiles.Store(int64(n))
	if n, err = s.countKeys(prefixOutbox); err != nil {
		db.Close()
		return nil, fmt.Errorf("open local store %s: count outbox: %w", dir, err)
	}
	s.outboxLen.Store(int64(n))
	if err := s.loadLocalSources(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open local store %s: find local sources: %w", dir, err)
	}
	s.audits = newAuditQueue(s.commitAudit)
	s.gcStop, s.gcDone = make(chan struct{}), make(chan struct{})
	go s.collectValueLogEvery(valueLogGCInterval, s.gcStop, s.gcDone)
	return s, nil
}

// Badger's share of the agent's memory on a shop PC. The memtables and
// caches live in Go's heap (anonymous memory, what the agent's 64 MiB
// budget counts); table and value log files are mapped from disk and
// count as file-backed pages the kernel can drop.
const (
	// memTableSize: each memtable's arena is this plus room for the
	// largest transaction (15 % of it, about 1.2 MiB here, which also
	// bounds one transaction: bigger ones are split by the callers).
	memTableSize = 8 << 20
	// numMemtables: the one written plus at most one waiting for its
	// flush to disk.
	numMemtables = 2
	// blockCacheSize holds decrypted, decompressed table blocks.
	blockCacheSize = 8 << 20
	// indexCacheSize holds table indexes and bloom filters (required
	// with encryption); 100k cached profiles need about 2 MiB of them.
	indexCacheSize = 4 << 20
	// valueLogFileSize: profiles over 1 KiB live in the value log, one
	// mapped file of this size at a time.
	valueLogFileSize = 32 << 20
)

// badgerOptions are Badger's options for the agent's database.
func badgerOptions(dir string, o Options) badger.Options {
	memTable, vlogFile := int64(memTableSize), int64(valueLogFileSize)
	if o.memTableSize > 0 {
		memTable = o.memTableSize
	}
	if o.valueLogFileSize > 0 {
		vlogFile = o.valueLogFileSize
	}
	opts := badger.DefaultOptions(dir).
		WithSyncWrites(true).
		WithLogger(badgerLog{o.Logger.With("component", "badger")}).
		WithMemTableSize(memTable).
		WithValueThreshold(1 << 10).
		WithValueLogFileSize(vlogFile).
		WithBlockCacheSize(blockCacheSize).
		WithIndexCacheSize(indexCacheSize).
		WithNumMemtables(numMemtables).
		WithNumLevelZeroTables(2).
		WithNumCompactors(2).
		WithNumVersionsToKeep(1)
	if o.EncryptionKey != nil {
		opts = opts.WithEncryptionKey(o.EncryptionKey).WithEncryptionKeyRotationDuration(30 * 24 * time.Hour)
	}
	return opts
}

// Close flushes and closes the database; a store from OpenChecked then
// notes the sums of its final tables.
func (s *Store) Close() error {
	s.audits.close() // commits what is queued first
	s.gcOnce.Do(func() { close(s.gcStop); <-s.gcDone })
	err := s.db.Close()
	if werr := s.wm.close(); err == nil {
		err = werr
	}
	if err == nil && s.dir != "" {
		sums, rerr := readTableSums(s.dir)
		names, gerr := tables(s.dir)
		if rerr == nil && gerr == nil {
			err = noteTableSums(s.dir, names, sums)
		}
	}
	return err
}

// OutboxSignal is signalled (without blocking) after each recorded event.
func (s *Store) OutboxSignal() <-chan struct{} { return s.outbox }

// Region is the country this store reads phone numbers in when they are
// written without one (the dealer's).
func (s *Store) Region() string { return s.region }

func (s *Store) signalOutbox() {
	select {
	case s.outbox <- struct{}{}:
	default:
	}
}

// txn wraps a Badger transaction with the few helpers the store needs.
type txn struct{ *badger.Txn }

func (t txn) value(k []byte) ([]byte, bool, error) {
	item, err := t.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	v, err := item.ValueCopy(nil)
	return v, err == nil, err
}

func (t txn) decode(k []byte, v any) (bool, error) {
	raw, ok, err := t.value(k)
	if !ok || err != nil {
		return false, err
	}
	return true, protocol.Unmarshal(raw, v)
}

func (t txn) put(k []byte, v any) error {
	raw, err := protocol.Marshal(v)
	if err != nil {
		return err
	}
	return t.Set(k, raw)
}

// each calls fn for each key (and value, when withValues) under prefix.
func (t txn) each(prefix []byte, withValues bool, fn func(k, v []byte) error) error {
	return t.eachFrom(prefix, prefix, withValues, fn)
}

// eachFrom is each starting at the first key at or after start.
func (t txn) eachFrom(prefix, start []byte, withValues bool, fn func(k, v []byte) error) error {
	opts := badger.DefaultIteratorOptions
	opts.Prefix, opts.PrefetchValues = prefix, withValues
	it := t.NewIterator(opts)
	defer it.Close()
	for it.Seek(start); it.Valid(); it.Next() {
		var v []byte
		if withValues {
			var err error
			if v, err = it.Item().ValueCopy(nil); err != nil {
				return err
			}
		}
		if err := fn(it.Item().KeyCopy(nil), v); err != nil {
			return err
		}
	}
	return nil
}

func (t txn) counter(k []byte) (uint64, error) {
	raw, _, err := t.value(k)
	return decodeUint(raw), err
}

// errStop ends an each loop early without error.
var errStop = errors.New("stop")

type badgerLog struct{ log *slog.Logger }

func (l badgerLog) Errorf(f string, a ...any)   { l.log.Error(fmt.Sprintf(f, a...)) }
func (l badgerLog) Warningf(f string, a ...any) { l.log.Warn(fmt.Sprintf(f, a...)) }
func (l badgerLog) Infof(f string, a ...any)    { l.log.Debug(fmt.Sprintf(f, a...)) }
func (l badgerLog) Debugf(f string, a ...any)   { l.log.Debug(fmt.Sprintf(f, a...)) }
