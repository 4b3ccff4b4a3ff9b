package localstore

import (
	"runtime"
	"strings"
	"testing"
)

// A closed database opens read-only with its key and verifies; with
// another key it does not open.
func TestVerifyReadOnly_ClosedDatabaseVerifiesWithItsKeyOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Badger cannot open read-only on Windows")
	}
	dir := t.TempDir()
	s, _ := openChecked(t, dir)
	recordSome(t, s, 3)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := VerifyReadOnly(dir, testKey); err != nil {
		t.Fatalf("verify with its key: %v", err)
	}
	err := VerifyReadOnly(dir, []byte("fedcba9876543210fedcba9876543210"))
	if err == nil || !strings.Contains(err.Error(), "open "+dir+" read-only") {
		t.Fatalf("verify with another key: %v, want an open error", err)
	}
}
