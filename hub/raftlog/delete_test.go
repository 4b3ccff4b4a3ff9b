package raftlog

import (
	"testing"

	"github.com/hashicorp/raft"
)

// DeleteRange removes what is in the range, skips what is not there, and
// leaves the bounds on what remains.
func TestStore_DeleteRange(t *testing.T) {
	cases := []struct {
		name        string
		stored      []uint64
		min, max    uint64
		want        []uint64
		first, last uint64
	}{
		{"compaction: a prefix", span(1, 100), 1, 60, span(61, 100), 61, 100},
		{"compaction from below the first", span(50, 100), 1, 60, span(61, 100), 61, 100},
		{"conflict: a suffix", span(1, 100), 81, 100, span(1, 80), 1, 80},
		{"a suffix past the last", span(1, 100), 81, 1 << 40, span(1, 80), 1, 80},
		{"the middle", span(1, 10), 4, 6, []uint64{1, 2, 3, 7, 8, 9, 10}, 1, 10},
		{"everything", span(1, 100), 1, 100, nil, 0, 0},
		{"everything and more", span(5, 10), 0, 1<<64 - 1, nil, 0, 0},
		{"one entry", span(1, 1), 1, 1, nil, 0, 0},
		{"nothing there", span(1, 10), 20, 30, span(1, 10), 1, 10},
		{"min above max", span(1, 10), 5, 4, span(1, 10), 1, 10},
		{"a prefix up to a gap", []uint64{1, 2, 3, 10, 11}, 1, 5, []uint64{10, 11}, 10, 11},
		{"a suffix down to a gap", []uint64{1, 2, 3, 10, 11}, 5, 11, []uint64{1, 2, 3}, 1, 3},
		{"a range with gaps", []uint64{1, 3, 5, 7, 9, 11}, 2, 8, []uint64{1, 9, 11}, 1, 11},
		{"the last index there is", []uint64{1, 1<<64 - 1}, 2, 1<<64 - 1, []uint64{1}, 1, 1},
		{"more keys than a chunk", span(1, 3*deleteChunk+7), 1, 3 * deleteChunk, span(3*deleteChunk+1, 3*deleteChunk+7), 3*deleteChunk + 1, 3*deleteChunk + 7},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := mustOpen(t, t.TempDir())
			var logs []*raft.Log
			for _, i := range tc.stored {
				logs = append(logs, entry(i, 16))
			}
			mustStore(t, s, logs...)
			if err := s.DeleteRange(tc.min, tc.max); err != nil {
				t.Fatalf("delete %d..%d: %v", tc.min, tc.max, err)
			}
			wantBounds(t, s, tc.first, tc.last)
			lo, hi := tc.stored[0], tc.stored[len(tc.stored)-1]
			if hi-lo < 1<<20 {
				wantEntries(t, s, lo, hi, 16, tc.want...)
			}
			for _, i := range tc.want {
				wantEntries(t, s, i, i, 16, i)
			}
		})
	}
}

// Compacting tens of thousands of entries, as Raft does after a snapshot,
// takes more than one transaction, and the log goes on from there.
func TestStore_DeleteRangeLongCompaction(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	mustStore(t, s, entries(1, 60000, 8)...)
	if err := s.DeleteRange(1, 59990); err != nil {
		t.Fatal(err)
	}
	wantBounds(t, s, 59991, 60000)
	wantEntries(t, s, 59980, 60000, 8, span(59991, 60000)...)
	mustStore(t, s, entries(60001, 60010, 8)...)
	wantBounds(t, s, 59991, 60010)
}

// After emptying the log, the next entry sets both bounds, as after a
// snapshot install.
func TestStore_StoreAfterEmptying(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	mustStore(t, s, entries(1, 10, 8)...)
	if err := s.DeleteRange(1, 10); err != nil {
		t.Fatal(err)
	}
	wantBounds(t, s, 0, 0)
	mustStore(t, s, entries(500, 502, 8)...)
	wantBounds(t, s, 500, 502)
}

// Appends, compactions and reads may run at once, as Raft runs them from
// different goroutines; the bounds end up on what is stored.
func TestStore_ConcurrentAppendAndCompact(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	const batches, size = 50, 10
	done := make(chan struct{})
	go func() {
		defer close(done)
		for b := uint64(0); b < batches; b++ {
			if err := s.StoreLogs(entries(b*size+1, (b+1)*size, 64)); err != nil {
				t.Errorf("store: %v", err)
				return
			}
		}
	}()
	compact := make(chan struct{})
	go func() {
		defer close(compact)
		for {
			select {
			case <-done:
				return
			default:
			}
			if last, _ := s.LastIndex(); last > 20 {
				if err := s.DeleteRange(1, last-20); err != nil {
					t.Errorf("delete: %v", err)
					return
				}
			}
			if first, _ := s.FirstIndex(); first > 0 {
				var l raft.Log
				_ = s.GetLog(first, &l) // may have just been compacted away
			}
		}
	}()
	<-done
	<-compact
	first, _ := s.FirstIndex()
	if want, _ := s.seekFirst(0); first != want {
		t.Fatalf("first index = %d, but the first stored is %d", first, want)
	}
	wantBounds(t, s, first, batches*size)
}
