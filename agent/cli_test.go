package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/internal/cli/clitest"
)

// Every command and subcommand answers --help and help with its usage on
// stdout and exit status 0; every listing and status that takes --json,
// run against a real agent enrolled at a real hub, prints JSON with
// snake_case keys at every depth and whole numbers.
func TestCommands_AnswerHelpAndPrintJSON(t *testing.T) {
	clitest.CheckHelp(t, program)

	hub := startHub(t)
	dataDir := enrolledDataDir(t, hub)
	agent := startAgent(t, dataDir)
	admin, err := os.ReadFile(filepath.Join(dataDir, AdminTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("TOUCHPOINT_AGENT_ADDR", "http://"+agent.httpAddr)
	t.Setenv("TOUCHPOINT_AGENT_TOKEN", strings.TrimSpace(string(admin)))
	agent.record(t, dataDir, "cli-visit-1")
	config := newTestDoctor(t, dataDir, agent.httpAddr).configPath
	clitest.CheckJSON(t, program,
		[]string{"record", "--type", "test_drive", "--email", "cli-visit-1@doctor.example", "--model", "ZOT 12", "--json"},
		[]string{"lookup", "--email", "cli-visit-1@doctor.example", "--json"},
		[]string{"sync-status", "--json"},
		[]string{"staff", "add", "m.jones", "--name", "Maria Jones", "--json"},
		[]string{"staff", "list", "--json"},
		[]string{"staff", "audit", "--json"},
		[]string{"doctor", "--config", config, "--json"},
	)
}
