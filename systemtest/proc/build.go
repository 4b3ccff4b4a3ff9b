package proc

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// The binaries' file names.
const (
	HubBinary   = "touchpoint-hub"
	AgentBinary = "touchpoint-agent"
)

// mainPackages are the binaries' main packages, by file name. Import
// paths build from any directory inside the module.
var mainPackages = map[string]string{
	HubBinary:   "github.com/touchpoint/touchpoint/hub",
	AgentBinary: "github.com/touchpoint/touchpoint/agent",
}

// Build builds both binaries into dir, with the race detector when race
// is set. The go command's output goes to stderr.
func Build(dir string, race bool) error {
	for name, pkg := range mainPackages {
		args := []string{"build"}
		if race {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, "-o", filepath.Join(dir, name), pkg)...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build %s: %w", name, err)
		}
	}
	return nil
}
