package localstore

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func checkedOptions() Options {
	return Options{Region: "US", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), EncryptionKey: testKey}
}

// openChecked opens dir with OpenChecked; the caller closes the store.
func openChecked(t *testing.T, dir string) (*Store, *Damage) {
	t.Helper()
	s, d, err := OpenChecked(dir, checkedOptions())
	if err != nil {
		t.Fatalf("open checked: %v", err)
	}
	return s, d
}

// recordSome records n events and returns the store's outbox length.
func recordSome(t *testing.T, s *Store, n int) {
	t.Helper()
	for i := range n {
		if _, err := s.Record(dealerEvent(fmt.Sprintf("ev-%03d", i), "showroom_visit", "+13125550100", i)); err != nil {
			t.Fatal(err)
		}
	}
}

func outboxLen(t *testing.T, s *Store) int {
	t.Helper()
	st, err := s.Status()
	if err != nil {
		t.Fatal(err)
	}
	return st.OutboxLen
}

// copyDir copies a directory of plain files, as a power cut or a backup
// would leave it while the store is open.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "LOCK" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// A cleanly closed database reopens without any damage reported.
func TestOpenChecked_IntactDatabaseOpensAsIs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	s, d := openChecked(t, dir)
	recordSome(t, s, 20)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, d = openChecked(t, dir)
	defer s.Close()
	if d != nil || outboxLen(t, s) != 20 {
		t.Fatalf("damage %+v, outbox %d; want none and 20", d, outboxLen(t, s))
	}
}

// A copy taken while the store was open (what a crash leaves, since
// every write is synced) reopens without damage: no false alarm.
func TestOpenChecked_CrashCopyIsNotDamaged(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "db")
	s, _ := openChecked(t, dir)
	defer s.Close()
	recordSome(t, s, 20)
	copy := filepath.Join(root, "copy")
	copyDir(t, dir, copy)
	b, _ := os.ReadFile(watermarkPath(dir))
	_ = os.WriteFile(watermarkPath(copy), b, 0o600)
	c, d := openChecked(t, copy)
	defer c.Close()
	if d != nil || outboxLen(t, c) != 20 {
		t.Fatalf("damage %+v, outbox %d; want none and 20", d, outboxLen(t, c))
	}
}

// Each kind of damage is detected, the directory is moved aside, and an
// empty database takes its place.
func TestOpenChecked_DamageIsDetectedAndQuarantined(t *testing.T) {
	cases := map[string]struct {
		crash  bool // damage a copy of the open store instead of a closed one
		damage func(t *testing.T, dir string)
		reason string
	}{
		"flipped table bytes": {damage: flipTableBytes, reason: "changed since it was written"},
		"deleted MANIFEST":    {damage: removeFile("MANIFEST"), reason: "no MANIFEST"},
		"truncated memtable":  {crash: true, damage: truncateMemtable, reason: "behind the watermark"},
		"damaged watermark": {damage: func(t *testing.T, dir string) {
			_ = os.WriteFile(watermarkPath(dir), []byte("garbage"), 0o600)
		}, reason: "watermark file"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := damagedStore(t, tc.crash, tc.damage)
			s, d := openChecked(t, dir)
			defer s.Close()
			if d == nil || !strings.Contains(d.Reason, tc.reason) {
				t.Fatalf("damage %+v; want a reason with %q", d, tc.reason)
			}
			if _, err := os.Stat(d.Quarantine); err != nil {
				t.Fatalf("quarantined directory: %v", err)
			}
			if st, _ := s.Status(); st.Cursor != 0 || st.Profiles != 0 {
				t.Fatalf("new store not empty: %+v", st)
			}
		})
	}
}

// damagedStore records events in a store, closes it (or copies it while
// open, for crash) and applies damage; it returns the directory to open.
func damagedStore(t *testing.T, crash bool, damage func(*testing.T, string)) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "db")
	s, _ := openChecked(t, dir)
	recordSome(t, s, 50)
	if crash {
		defer s.Close()
		copy := filepath.Join(root, "crashed")
		copyDir(t, dir, copy)
		b, _ := os.ReadFile(watermarkPath(dir))
		_ = os.WriteFile(watermarkPath(copy), b, 0o600)
		dir = copy
	} else if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	damage(t, dir)
	return dir
}

func flipTableBytes(t *testing.T, dir string) {
	names, _ := tables(dir)
	if len(names) == 0 {
		t.Fatal("no table to damage")
	}
	b, _ := os.ReadFile(names[0])
	for i := len(b) / 3; i < len(b)/3+8; i++ {
		b[i] ^= 0xff
	}
	_ = os.WriteFile(names[0], b, 0o600)
}

func removeFile(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

func truncateMemtable(t *testing.T, dir string) {
	mems, _ := filepath.Glob(filepath.Join(dir, "*.mem"))
	truncated := false
	for _, m := range mems {
		// Cut the written part (the file is preallocated with zeros) to a
		// third, the way a lost tail of writes looks.
		b, _ := os.ReadFile(m)
		end := len(b)
		for end > 0 && b[end-1] == 0 {
			end--
		}
		if end > 0 {
			_ = os.Truncate(m, int64(end/3))
			truncated = true
		}
	}
	if !truncated {
		t.Fatal("no memtable to truncate")
	}
}

// Unsent events survive damage found after the old database opened.
func TestOpenChecked_UnsentEventsAreCarriedOver(t *testing.T) {
	dir := damagedStore(t, false, func(t *testing.T, dir string) {
		// The watermark claims more than the database holds.
		w, err := openWatermark(dir, 999, 0)
		if err != nil {
			t.Fatal(err)
		}
		w.close()
	})
	s, d := openChecked(t, dir)
	defer s.Close()
	if d == nil || d.Salvaged != 50 || outboxLen(t, s) != 50 {
		t.Fatalf("damage %+v, outbox %d; want 50 carried over", d, outboxLen(t, s))
	}
	if ids := pendingIDs(t, s); ids[0] != "ev-000" || ids[49] != "ev-049" {
		t.Errorf("carried outbox = %v ... %v, want ev-000 ... ev-049 in order", ids[0], ids[49])
	}
	if !errors.Is(fmt.Errorf("x: %w", ErrDamaged), ErrDamaged) {
		t.Fatal("ErrDamaged does not wrap")
	}
}
