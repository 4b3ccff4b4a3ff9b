package raftlog

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/hashicorp/raft"
)

// An empty store has no bounds and no entries.
func TestStore_EmptyHasNoEntries(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	wantBounds(t, s, 0, 0)
	var l raft.Log
	for _, i := range []uint64{0, 1, 1 << 63} {
		if err := s.GetLog(i, &l); !errors.Is(err, raft.ErrLogNotFound) {
			t.Fatalf("get %d: err = %v, want raft.ErrLogNotFound", i, err)
		}
	}
}

// Open creates a missing directory, private to the user.
func TestOpen_CreatesDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "raft")
	mustOpen(t, dir)
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Fatalf("mode = %v, want 0700", fi.Mode().Perm())
	}
}

// Every field of an entry reads back as stored.
func TestStore_RoundTripsEveryField(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	at := time.Date(2026, 3, 1, 12, 30, 15, 123456789, time.UTC)
	cases := []*raft.Log{
		{Index: 1, Term: 1, Type: raft.LogConfiguration, Data: []byte("config"), AppendedAt: at},
		{Index: 2, Term: 1, Type: raft.LogCommand, Data: []byte("cmd"), Extensions: []byte("ext"), AppendedAt: at.Add(time.Second)},
		{Index: 3, Term: 2, Type: raft.LogNoop},
		{Index: 4, Term: 1<<64 - 1, Type: raft.LogBarrier, Extensions: []byte{0}},
		{Index: 1<<64 - 1, Term: 9, Type: raft.LogType(255), Data: []byte{0xff, 0}},
	}
	for _, l := range cases {
		if err := s.StoreLog(l); err != nil {
			t.Fatalf("store %d: %v", l.Index, err)
		}
	}
	for _, want := range cases {
		var got raft.Log
		if err := s.GetLog(want.Index, &got); err != nil {
			t.Fatalf("get %d: %v", want.Index, err)
		}
		wantLog(t, &got, want)
		if want.AppendedAt.IsZero() != got.AppendedAt.IsZero() {
			t.Fatalf("entry %d: AppendedAt %v, want %v", want.Index, got.AppendedAt, want.AppendedAt)
		}
	}
	wantBounds(t, s, 1, 1<<64-1)
}

// Storing an entry again replaces it.
func TestStore_StoreReplacesEntry(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	mustStore(t, s, entries(1, 3, 10)...)
	mustStore(t, s, &raft.Log{Index: 2, Term: 7, Data: []byte("new")})
	var got raft.Log
	if err := s.GetLog(2, &got); err != nil {
		t.Fatal(err)
	}
	wantLog(t, &got, &raft.Log{Index: 2, Term: 7, Data: []byte("new")})
	wantBounds(t, s, 1, 3)
}

// StoreLogs stores whole batches, however many transactions they take.
func TestStore_StoreLogsBatches(t *testing.T) {
	cases := []struct {
		name   string
		n      uint64
		size   int
		split  bool     // too big for one transaction
		sample []uint64 // indexes to read back; nil reads all
	}{
		{"one entry", 1, 100, false, nil},
		{"64 entries of 4 KiB", 64, 4 << 10, false, nil},
		// 4 MiB below the value threshold, in the LSM tree: more than a
		// transaction holds.
		{"2000 entries of 2 KiB", 2000, 2 << 10, true, nil},
		// Each goes to the value log: the transaction holds pointers.
		{"40 entries of 512 KiB", 40, 512 << 10, false, nil},
		{"40 entries of 1 MiB", 40, 1 << 20, false, nil},
		{"one entry of 8 MiB", 1, 8 << 20, false, nil},
		// More keys than a transaction holds, whatever their size.
		{"60000 entries of 8 bytes", 60000, 8, true, []uint64{1, 29999, 30000, 30001, 60000}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := mustOpen(t, t.TempDir())
			logs := entries(5, 4+tc.n, tc.size)
			if got := fitsOneTxn(t, s, logs); got == tc.split {
				t.Fatalf("fits one transaction = %v, want %v", got, !tc.split)
			}
			mustStore(t, s, logs...)
			wantBounds(t, s, 5, 4+tc.n)
			if tc.sample == nil {
				wantEntries(t, s, 4, 5+tc.n, tc.size, span(5, 4+tc.n)...)
				return
			}
			for _, i := range tc.sample {
				wantEntries(t, s, i+4, i+4, tc.size, i+4)
			}
		})
	}
}

// fitsOneTxn reports whether one Badger transaction takes all of logs.
func fitsOneTxn(t *testing.T, s *Store, logs []*raft.Log) bool {
	t.Helper()
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	for _, l := range logs {
		v, err := encodeLog(l)
		if err != nil {
			t.Fatal(err)
		}
		err = txn.Set(logKey(l.Index), v)
		if errors.Is(err, badger.ErrTxnTooBig) {
			return false
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return true
}

// Index 0 is refused, and the bounds stay as they were.
func TestStore_RefusesIndexZero(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	mustStore(t, s, entries(1, 2, 8)...)
	if err := s.StoreLog(&raft.Log{Index: 0, Term: 1}); !errors.Is(err, ErrIndexZero) {
		t.Fatalf("err = %v, want ErrIndexZero", err)
	}
	wantBounds(t, s, 1, 2)
}

// A store of nothing changes nothing.
func TestStore_StoreLogsEmptyBatch(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	mustStore(t, s)
	wantBounds(t, s, 0, 0)
}

// Entries, bounds and stable values survive a Close and Open.
func TestStore_ReopenKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	mustStore(t, s, entries(10, 20, 300)...)
	mustStore(t, s, entries(25, 30, 2<<20)...) // in the value log
	if err := s.DeleteRange(10, 12); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUint64([]byte("CurrentTerm"), 42); err != nil {
		t.Fatal(err)
	}
	if err := s.Set([]byte("LastVoteCand"), []byte("node-2")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}

	s = mustOpen(t, dir)
	wantBounds(t, s, 13, 30)
	wantEntries(t, s, 9, 21, 300, span(13, 20)...)
	wantEntries(t, s, 21, 31, 2<<20, span(25, 30)...)
	if v, err := s.GetUint64([]byte("CurrentTerm")); err != nil || v != 42 {
		t.Fatalf("CurrentTerm = %d, %v, want 42", v, err)
	}
	if v, err := s.Get([]byte("LastVoteCand")); err != nil || string(v) != "node-2" {
		t.Fatalf("LastVoteCand = %q, %v, want node-2", v, err)
	}
}

// A closed store refuses writes and reads with an error, not a panic.
func TestStore_ClosedRefusesWork(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	mustStore(t, s, entries(1, 2, 10)...)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.StoreLogs(entries(3, 3, 10)); !errors.Is(err, ErrClosed) {
		t.Fatalf("store: err = %v, want ErrClosed", err)
	}
	if err := s.DeleteRange(1, 2); !errors.Is(err, ErrClosed) {
		t.Fatalf("delete: err = %v, want ErrClosed", err)
	}
	var l raft.Log
	if err := s.GetLog(1, &l); err == nil || errors.Is(err, raft.ErrLogNotFound) {
		t.Fatalf("get: err = %v, want a closed error", err)
	}
	if err := s.Set([]byte("k"), []byte("v")); err == nil {
		t.Fatal("set: no error")
	}
}

// CollectGarbage reclaims nothing on a fresh store and leaves entries
// readable after entries in the value log are deleted.
func TestStore_CollectGarbageKeepsLiveEntries(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	if n, err := s.CollectGarbage(); err != nil || n != 0 {
		t.Fatalf("collect garbage on an empty store = %d, %v", n, err)
	}
	mustStore(t, s, entries(1, 40, 2<<20)...)
	if err := s.DeleteRange(1, 35); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CollectGarbage(); err != nil {
		t.Fatalf("collect garbage: %v", err)
	}
	wantEntries(t, s, 30, 41, 2<<20, span(36, 40)...)
}
