package raftlog

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

// mustOpen opens a Store in dir and closes it when the test ends.
func mustOpen(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// entries makes entries lo to hi, each with size bytes of data that
// depend on the index.
func entries(lo, hi uint64, size int) []*raft.Log {
	var logs []*raft.Log
	for i := lo; i <= hi; i++ {
		logs = append(logs, entry(i, size))
	}
	return logs
}

func entry(i uint64, size int) *raft.Log {
	data := bytes.Repeat([]byte{byte(i)}, size)
	copy(data, fmt.Sprint(i))
	return &raft.Log{Index: i, Term: i/10 + 1, Type: raft.LogCommand, Data: data}
}

func mustStore(t testing.TB, s *Store, logs ...*raft.Log) {
	t.Helper()
	if err := s.StoreLogs(logs); err != nil {
		t.Fatalf("store logs: %v", err)
	}
}

// wantBounds checks FirstIndex and LastIndex.
func wantBounds(t *testing.T, s *Store, first, last uint64) {
	t.Helper()
	f, err := s.FirstIndex()
	if err != nil {
		t.Fatalf("first index: %v", err)
	}
	l, err := s.LastIndex()
	if err != nil {
		t.Fatalf("last index: %v", err)
	}
	if f != first || l != last {
		t.Fatalf("bounds = %d..%d, want %d..%d", f, l, first, last)
	}
}

// wantEntries checks that exactly the indexes in want are stored in lo..hi
// and that each reads back as entry(i, size).
func wantEntries(t *testing.T, s *Store, lo, hi uint64, size int, want ...uint64) {
	t.Helper()
	in := map[uint64]bool{}
	for _, i := range want {
		in[i] = true
	}
	for i := lo; i <= hi; i++ {
		var got raft.Log
		err := s.GetLog(i, &got)
		switch {
		case !in[i] && !errors.Is(err, raft.ErrLogNotFound):
			t.Fatalf("get %d: err = %v, want raft.ErrLogNotFound", i, err)
		case in[i] && err != nil:
			t.Fatalf("get %d: %v", i, err)
		case in[i]:
			wantLog(t, &got, entry(i, size))
		}
	}
}

func wantLog(t *testing.T, got, want *raft.Log) {
	t.Helper()
	if got.Index != want.Index || got.Term != want.Term || got.Type != want.Type ||
		!bytes.Equal(got.Data, want.Data) || !bytes.Equal(got.Extensions, want.Extensions) ||
		!got.AppendedAt.Equal(want.AppendedAt) {
		t.Fatalf("got entry %d term %d type %v data %d bytes ext %q at %v,\nwant entry %d term %d type %v data %d bytes ext %q at %v",
			got.Index, got.Term, got.Type, len(got.Data), got.Extensions, got.AppendedAt,
			want.Index, want.Term, want.Type, len(want.Data), want.Extensions, want.AppendedAt)
	}
}

// span lists lo to hi.
func span(lo, hi uint64) []uint64 {
	var s []uint64
	for i := lo; i <= hi; i++ {
		s = append(s, i)
	}
	return s
}

// eventually retries cond until it holds or d passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
