package localstore

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A table whose sum no longer matches stops the open before Badger reads
// the directory, yet the unsent outbox is read from a copy and carried
// into the new database: those events were acknowledged to staff.
func TestOpenChecked_ChangedTableStillCarriesTheOutbox(t *testing.T) {
	dir := damagedStore(t, false, func(t *testing.T, dir string) {
		sums, err := readTableSums(dir)
		if err != nil || len(sums) == 0 {
			t.Fatalf("table sums %v, %v", sums, err)
		}
		for name := range sums {
			sums[name] = strings.Repeat("0", 64) // as if the table had changed
		}
		b, _ := json.Marshal(sums)
		if err := os.WriteFile(tableSumsPath(dir), b, 0o600); err != nil {
			t.Fatal(err)
		}
	})
	s, d := openChecked(t, dir)
	defer s.Close()
	if d == nil || !strings.Contains(d.Reason, "changed since it was written") {
		t.Fatalf("damage %+v, want a changed table", d)
	}
	if d.Salvaged != 50 || outboxLen(t, s) != 50 {
		t.Fatalf("salvaged %d, outbox %d; want the 50 unsent events", d.Salvaged, outboxLen(t, s))
	}
	if _, err := os.Stat(dir + ".salvage"); !os.IsNotExist(err) {
		t.Errorf("salvage copy left behind: %v", err)
	}
}

// The sums noted at open cover the tables in the MANIFEST only, not a
// table file still being written or left over by a kill (Badger deletes
// such a file at its next open and may reuse its name).
func TestLiveTables_LeaveOutFilesNotInTheManifest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s, _ := openChecked(t, dir)
	defer s.Close()
	recordSome(t, s, 20)
	if err := s.db.Flatten(1); err != nil { // at least one table on disk
		t.Fatal(err)
	}
	stray := filepath.Join(dir, "999999.sst")
	if err := os.WriteFile(stray, []byte("half a table"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, name := range liveTables(dir, s.db) {
		if name == stray {
			t.Fatalf("live tables include %s", stray)
		}
	}
}
