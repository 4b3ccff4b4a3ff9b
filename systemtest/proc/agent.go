package proc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Agent is one agent process: its data directory and HTTP address.
type Agent struct {
	*Proc
	Dir, HTTP string
}

// RunArgs are the arguments that run the enrolled agent.
func (a *Agent) RunArgs() []string {
	return []string{"run", "--data-dir", a.Dir, "--http-addr", a.HTTP}
}

// URL is path on the agent's HTTP API.
func (a *Agent) URL(path string) string { return "http://" + a.HTTP + path }

// AdminToken reads the admin token that enrolment wrote into the data
// directory.
func (a *Agent) AdminToken() (string, error) {
	b, err := os.ReadFile(filepath.Join(a.Dir, "admin.token"))
	if err != nil {
		return "", fmt.Errorf("agent admin token: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}
