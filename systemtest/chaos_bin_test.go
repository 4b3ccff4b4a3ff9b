package systemtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// useReleaseBinaries points the harness at binaries built without the
// race detector until the test ends. The full chaos run uses them: they
// are what dealers and HQ run, and the detector's cost (several times the
// CPU) would make the fault timings say more about the detector than
// about the product. The short subset keeps the race-enabled binaries.
func useReleaseBinaries(t *testing.T) {
	t.Helper()
	dir, err := os.MkdirTemp("", "touchpoint-chaos-bin-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	for name, pkg := range map[string]string{"touchpoint-hub": "../hub", "touchpoint-agent": "../agent"} {
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, name), pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("build %s: %v\n%s", name, err, out)
		}
	}
	race := binDir
	binDir = dir
	t.Cleanup(func() { binDir = race })
	fmt.Println("chaos: using binaries built without the race detector")
}
