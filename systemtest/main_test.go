package systemtest

import (
	"testing"

	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// TestMain builds the binaries once for the whole run.
func TestMain(m *testing.M) { proc.Main(m) }
