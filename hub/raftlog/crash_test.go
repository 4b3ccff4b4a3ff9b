package raftlog

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/raft"
)

// crashDirEnv, when set, makes TestStore_SurvivesKill9 the writer that gets
// killed, writing into that directory.
const crashDirEnv = "RAFTLOG_CRASH_WRITER_DIR"

// A kill -9 at any moment leaves a log that opens and holds every entry
// whose StoreLogs returned, and nothing the writer had compacted away.
func TestStore_SurvivesKill9(t *testing.T) {
	if dir := os.Getenv(crashDirEnv); dir != "" {
		crashWriter(dir)
		return
	}
	dir := t.TempDir()
	var w writerState
	for round := range 3 {
		w = killWriter(t, dir, 5+rand.IntN(20), w)
		s, err := Open(dir, nil)
		if err != nil {
			t.Fatalf("round %d: open after kill -9: %v", round, err)
		}
		first, _ := s.FirstIndex()
		last, _ := s.LastIndex()
		if first <= w.compacted || last < w.acked {
			t.Fatalf("round %d: bounds %d..%d, but up to %d was acked and up to %d compacted", round, first, last, w.acked, w.compacted)
		}
		for i := w.compacting + 1; i <= w.acked; i++ {
			var got raft.Log
			if err := s.GetLog(i, &got); err != nil {
				t.Fatalf("round %d: entry %d was acked: %v", round, i, err)
			}
			wantLog(t, &got, entry(i, entrySize(i)))
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// entrySize varies entry sizes so that some go to the value log.
func entrySize(i uint64) int {
	if i%7 == 0 {
		return 1<<20 + 100
	}
	return 100 + int(i%13)*300
}

// writerState is what a killed writer had acknowledged: entries up to
// acked stored, entries up to compacted deleted, and a compaction up to
// compacting begun, which a kill may have cut short.
type writerState struct{ acked, compacted, compacting uint64 }

// killWriter runs a writer on dir and kills it after it acknowledges n
// more writes.
func killWriter(t *testing.T, dir string, n int, w writerState) writerState {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStore_SurvivesKill9$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	for seen := 0; seen < n && lines.Scan(); {
		kind, num, _ := strings.Cut(lines.Text(), " ")
		v, err := strconv.ParseUint(num, 10, 64)
		switch {
		case err != nil:
			continue // the test binary's own output
		case kind == "stored":
			w.acked, seen = v, seen+1
		case kind == "compacting":
			w.compacting = v
		case kind == "compacted":
			w.compacted = v
		}
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if w.acked == 0 {
		t.Fatal("the writer acknowledged nothing")
	}
	return w
}

// crashWriter appends batches to the log in dir until it is killed,
// printing each last index once StoreLogs returns, and compacting now and
// then as Raft does after a snapshot.
func crashWriter(dir string) {
	s, err := Open(dir, nil)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	next, _ := s.LastIndex()
	for {
		lo, hi := next+1, next+1+uint64(rand.IntN(20))
		var batch []*raft.Log
		for i := lo; i <= hi; i++ {
			batch = append(batch, entry(i, entrySize(i)))
		}
		if err := s.StoreLogs(batch); err != nil {
			fmt.Println("store:", err)
			os.Exit(1)
		}
		fmt.Println("stored", hi)
		next = hi
		if rand.IntN(4) == 0 && hi > 30 {
			fmt.Println("compacting", hi-30)
			if err := s.DeleteRange(0, hi-30); err != nil {
				fmt.Println("delete:", err)
				os.Exit(1)
			}
			fmt.Println("compacted", hi-30)
		}
	}
}
