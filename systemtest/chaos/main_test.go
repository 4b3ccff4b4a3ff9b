package chaos

import (
	"fmt"
	"testing"

	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// TestMain builds the binaries once for the whole run.
func TestMain(m *testing.M) { proc.Main(m) }

// useReleaseBinaries points the harness at binaries built without the
// race detector until the test ends. The full chaos run uses them: they
// are what dealers and HQ run, and the detector's cost (several times the
// CPU) would make the fault timings say more about the detector than
// about the product. The short subset keeps the race-enabled binaries.
func useReleaseBinaries(t *testing.T) {
	t.Helper()
	proc.UseReleaseBuild(t)
	fmt.Println("chaos: using binaries built without the race detector")
}
