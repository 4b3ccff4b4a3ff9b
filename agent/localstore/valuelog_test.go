package localstore

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/protocol"
)

// Profiles sent again and again by the feed leave stale copies in the
// value log; collecting it rewrites the stale files, gives the space back
// and keeps every profile's latest version.
func TestCollectValueLog_ReclaimsRewrittenProfiles(t *testing.T) {
	dir := t.TempDir()
	s := openSmallFiles(t, dir)
	const people, rounds = 40, 30
	note := strings.Repeat("Asked about trims, financing and trade-in. ", 40) // values go to the value log
	for round := range rounds {
		batch := &protocol.Changes{Cursor: uint64(round + 1)}
		for i := range people {
			e := callEvent(fmt.Sprintf("call-%d", i), bigBatchPhone(i), "Anna", fmt.Sprintf("Petrova%d", i), round)
			e.Note = note
			batch.Changes = append(batch.Changes, upsert(hubProfile(fmt.Sprintf("C-%05d", i), uint64(round+1), e)))
		}
		if err := s.ApplyChanges(batch); err != nil {
			t.Fatal(err)
		}
		if round%10 == 9 {
			// Reopening flushes the memtable: each tenth round ends in
			// its own table, so compacting them drops the old versions
			// and notes what they leave stale in the value log.
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = openSmallFiles(t, dir)
		}
	}
	if err := s.db.Flatten(1); err != nil {
		t.Fatal(err)
	}
	before := valueLogBytes(t, dir)
	n, err := s.CollectValueLog()
	if err != nil {
		t.Fatal(err)
	}
	after := valueLogBytes(t, dir)
	if n == 0 || after >= before {
		t.Fatalf("collected %d files, value log %d -> %d bytes; want files rewritten and space back", n, before, after)
	}
	t.Logf("collected %d files, value log %d -> %d bytes", n, before, after)
	for i := range people {
		p, err := s.Profile(fmt.Sprintf("C-%05d", i))
		if err != nil || p.Version != rounds {
			t.Fatalf("C-%05d after collection: version %d, %v; want %d", i, p.Version, err, rounds)
		}
	}
}

// openSmallFiles opens the store with 1 MiB memtables and value log
// files, closed when the test ends.
func openSmallFiles(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{Region: "US", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		memTableSize: 1 << 20, valueLogFileSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func valueLogBytes(t *testing.T, dir string) int64 {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.vlog"))
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			total += fi.Size()
		}
	}
	return total
}
