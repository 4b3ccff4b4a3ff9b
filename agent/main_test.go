package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// hubBinary is touchpoint-hub built once for the tests that need a real
// hub; the tests drive it through its command line, as an operator would.
var (
	hubBuild   sync.Once
	hubBinary  string
	hubErr     error
	hubTempDir string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if hubTempDir != "" {
		os.RemoveAll(hubTempDir)
	}
	os.Exit(code)
}

func mustHubBinary(t *testing.T) string {
	t.Helper()
	hubBuild.Do(func() {
		hubTempDir, hubErr = os.MkdirTemp("", "touchpoint-agent-test-")
		if hubErr != nil {
			return
		}
		hubBinary = filepath.Join(hubTempDir, "touchpoint-hub")
		cmd := exec.Command("go", "build", "-o", hubBinary, "../hub")
		if out, err := cmd.CombinedOutput(); err != nil {
			hubErr = fmt.Errorf("build hub: %v\n%s", err, out)
		}
	})
	if hubErr != nil {
		t.Fatal(hubErr)
	}
	return hubBinary
}

func errorf(format string, a ...any) error { return fmt.Errorf(format, a...) }

// mkdirSave writes credentials into a new data directory.
func mkdirSave(dir string, c interface{ Save(string) error }) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return c.Save(dir)
}
