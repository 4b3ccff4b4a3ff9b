package walmigrate

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/raft"
	wal "github.com/hashicorp/raft-wal"
	"github.com/hashicorp/raft-wal/metadb"
)

// writeWALLog leaves a raft-wal log in dir/wal as a node before raftlog
// did: entries 5 to 200 (the first four compacted away) and a vote.
func writeWALLog(t *testing.T, dir string) {
	t.Helper()
	walDir := filepath.Join(dir, raftWALDir)
	if err := os.MkdirAll(walDir, 0o700); err != nil {
		t.Fatal(err)
	}
	meta := &metadb.BoltMetaDB{}
	w, err := wal.Open(walDir, wal.WithMetaStore(meta))
	if err != nil {
		t.Fatal(err)
	}
	var logs []*raft.Log
	for i := uint64(1); i <= 200; i++ {
		logs = append(logs, &raft.Log{Index: i, Term: 1 + i/100, Type: raft.LogCommand, Data: fmt.Appendf(nil, "entry %d", i)})
	}
	steps := []error{
		w.StoreLogs(logs), w.DeleteRange(1, 4),
		w.SetUint64([]byte("CurrentTerm"), 3), w.SetUint64([]byte("LastVoteTerm"), 3), w.Set([]byte("LastVoteCand"), []byte("hub2")),
		w.Close(), meta.Close(),
	}
	for _, err := range steps {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// A node started on a data directory from before raftlog moves its
// raft-wal log over once: every entry and Raft's stable values. A move
// cut short (a leftover log.migrating) is started again.
func TestOpenRaftLog_MovesARaftWALLog(t *testing.T) {
	dir := t.TempDir()
	writeWALLog(t, dir)
	if err := os.MkdirAll(filepath.Join(dir, migratingDir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, migratingDir, "MANIFEST"), []byte("cut short"), 0o600); err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.DiscardHandler)
	logs, err := Open(dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	checkMovedLog(t, logs)
	if err := logs.Close(); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{raftWALDir: false, migratedWALDir: true, migratingDir: false, raftLogDir: true} {
		if got := exists(filepath.Join(dir, path)); got != want {
			t.Errorf("%s exists: %v, want %v", path, got, want)
		}
	}

	again, err := Open(dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	checkMovedLog(t, again)
}

func checkMovedLog(t *testing.T, logs raft.LogStore) {
	t.Helper()
	first, _ := logs.FirstIndex()
	last, _ := logs.LastIndex()
	if first != 5 || last != 200 {
		t.Fatalf("moved log holds %d to %d, want 5 to 200", first, last)
	}
	for i := first; i <= last; i++ {
		var l raft.Log
		if err := logs.GetLog(i, &l); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if want := fmt.Sprintf("entry %d", i); string(l.Data) != want || l.Term != 1+i/100 || l.Index != i {
			t.Fatalf("entry %d = index %d term %d %q, want term %d %q", i, l.Index, l.Term, l.Data, 1+i/100, want)
		}
	}
	stable := logs.(raft.StableStore)
	term, _ := stable.GetUint64([]byte("CurrentTerm"))
	voteTerm, _ := stable.GetUint64([]byte("LastVoteTerm"))
	cand, _ := stable.Get([]byte("LastVoteCand"))
	if term != 3 || voteTerm != 3 || string(cand) != "hub2" {
		t.Errorf("stable values: term %d, vote term %d, candidate %q; want 3, 3, hub2", term, voteTerm, cand)
	}
}
