package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An agent refuses a data directory that a newer agent used (a later
// data format or a later release) and records itself in any other.
func TestClaimDataDir_RefusesNewerAgent(t *testing.T) {
	tests := []struct {
		name    string
		marker  string // "" for none
		this    string
		refused bool
	}{
		{"no marker yet", "", "v1.4.0", false},
		{"same version", `{"format":1,"software":"v1.4.0"}`, "v1.4.0", false},
		{"older release", `{"format":1,"software":"v1.3.9"}`, "v1.4.0", false},
		{"newer release", `{"format":1,"software":"v1.5.0"}`, "v1.4.0", true},
		{"newer commit after the same tag", `{"format":1,"software":"v1.4.0-7-gabc1234"}`, "v1.4.0-2-gdef5678", true},
		{"newer data format", `{"format":2,"software":"e262039"}`, "e262039", true},
		{"dev builds compare by format only", `{"format":1,"software":"dev"}`, "e262039-dirty", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, markerFile)
			if tt.marker != "" {
				if err := os.WriteFile(path, []byte(tt.marker), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := claimDataDir(dir, tt.this)
			if tt.refused {
				if !errors.Is(err, ErrNewerDataDir) || !strings.Contains(err.Error(), "downgrading the agent is not supported") {
					t.Fatalf("err = %v, want ErrNewerDataDir with what to do", err)
				}
				if b, _ := os.ReadFile(path); string(b) != tt.marker {
					t.Errorf("marker changed to %s", b)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			m, err := checkDataDir(dir, tt.this)
			if err != nil || m.Software != tt.this || m.Format != dataFormat {
				t.Errorf("marker %+v, %v", m, err)
			}
		})
	}
}

// A damaged marker stops the agent with what to do rather than being
// overwritten (it may hide a newer agent's directory).
func TestClaimDataDir_DamagedMarker(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, markerFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := claimDataDir(dir, "v1.0.0"); err == nil || !strings.Contains(err.Error(), "delete it if") {
		t.Fatalf("err = %v", err)
	}
}

// The check before a service start refuses an unenrolled data directory.
func TestPreflight_RefusesUnenrolledDataDir(t *testing.T) {
	if err := preflight(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not enrolled") {
		t.Fatalf("err = %v", err)
	}
}
