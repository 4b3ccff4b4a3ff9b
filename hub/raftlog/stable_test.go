package raftlog

import (
	"bytes"
	"errors"
	"testing"

	"github.com/hashicorp/raft"
)

// Set/Get and SetUint64/GetUint64 round-trip, and a later Set wins.
func TestStable_RoundTrips(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	bytesCases := []struct{ key, val []byte }{
		{[]byte("LastVoteCand"), []byte("node-1")},
		{[]byte("LastVoteCand"), []byte("node-2")},
		{[]byte("binary\x00key"), []byte{0, 1, 2, 0xff}},
		{[]byte("big"), bytes.Repeat([]byte("x"), 2<<20)},
	}
	for _, c := range bytesCases {
		if err := s.Set(c.key, c.val); err != nil {
			t.Fatalf("set %q: %v", c.key, err)
		}
		got, err := s.Get(c.key)
		if err != nil || !bytes.Equal(got, c.val) {
			t.Fatalf("get %q = %d bytes, %v; want %d bytes", c.key, len(got), err, len(c.val))
		}
	}
	for _, v := range []uint64{0, 1, 42, 1<<64 - 1} {
		if err := s.SetUint64([]byte("CurrentTerm"), v); err != nil {
			t.Fatal(err)
		}
		if got, err := s.GetUint64([]byte("CurrentTerm")); err != nil || got != v {
			t.Fatalf("GetUint64 = %d, %v; want %d", got, err, v)
		}
	}
}

// A missing key reads as nil or 0 with no error: raft.StableStore's
// contract, and what NewRaft, HasExistingState and requestVote accept on a
// fresh store (they would also accept an error reading "not found").
func TestStable_MissingKeyReadsEmpty(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	v, err := s.Get([]byte("LastVoteCand"))
	if err != nil || v != nil {
		t.Fatalf("Get = %q, %v; want nil, nil", v, err)
	}
	n, err := s.GetUint64([]byte("CurrentTerm"))
	if err != nil || n != 0 {
		t.Fatalf("GetUint64 = %d, %v; want 0, nil", n, err)
	}
	// Stable keys and log keys do not meet.
	mustStore(t, s, entries(1, 1, 8)...)
	if v, err := s.Get(logKey(1)[1:]); err != nil || v != nil {
		t.Fatalf("Get of a log key's bytes = %q, %v; want nil, nil", v, err)
	}
}

// An empty value reads as nil, so Raft's "have I voted" test (a non-nil
// candidate) is not fooled by a value copied over from an empty one.
func TestStable_EmptyValueReadsNil(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	if err := s.Set([]byte("LastVoteCand"), nil); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get([]byte("LastVoteCand")); err != nil || v != nil {
		t.Fatalf("Get = %q, %v; want nil, nil", v, err)
	}
	if n, err := s.GetUint64([]byte("LastVoteCand")); err != nil || n != 0 {
		t.Fatalf("GetUint64 = %d, %v; want 0, nil", n, err)
	}
}

// GetUint64 of a value that is not 8 bytes is an error, not a guess.
func TestStable_GetUint64OfOtherValueFails(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	if err := s.Set([]byte("k"), []byte("abc")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetUint64([]byte("k")); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
}

// A fresh store holds no existing state as Raft sees it.
func TestStable_FreshStoreHasNoRaftState(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	has, err := raft.HasExistingState(s, s, raft.NewInmemSnapshotStore())
	if err != nil || has {
		t.Fatalf("HasExistingState = %v, %v; want false, nil", has, err)
	}
}
