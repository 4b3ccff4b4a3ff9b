package localstore

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A table file the MANIFEST does not list (one a kill left half written,
// whose name Badger then reuses) is no damage even when its noted sum no
// longer matches; the database opens as it is, its outbox intact.
func TestOpenChecked_ChangedFileNotInTheManifestIsNoDamage(t *testing.T) {
	dir := damagedStore(t, false, func(t *testing.T, dir string) {
		stray := filepath.Join(dir, "999999.sst")
		if err := os.WriteFile(stray, []byte("a table a kill left half written"), 0o600); err != nil {
			t.Fatal(err)
		}
		sums, err := readTableSums(dir)
		if err != nil {
			t.Fatal(err)
		}
		sums["999999.sst"] = strings.Repeat("0", 64)
		b, _ := json.Marshal(sums)
		if err := os.WriteFile(tableSumsPath(dir), b, 0o600); err != nil {
			t.Fatal(err)
		}
	})
	s, d := openChecked(t, dir)
	defer s.Close()
	if d != nil {
		t.Fatalf("damage %+v for a file Badger does not use", d)
	}
	if n := outboxLen(t, s); n != 50 {
		t.Errorf("outbox %d, want the 50 recorded events", n)
	}
}

// The sums noted at open cover the tables in the MANIFEST only, not a
// table file still being written.
func TestLiveTables_LeaveOutFilesNotInTheManifest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s, _ := openChecked(t, dir)
	defer s.Close()
	recordSome(t, s, 20)
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
