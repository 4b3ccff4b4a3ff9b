package main

import (
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/internal/cli/clitest"
)

// Every command and subcommand answers --help and help with its usage on
// stdout and exit status 0; every listing and status that takes --json,
// run against a real one-node hub holding a dealer, an agent, a merge, a
// match candidate and an erasure, prints JSON with snake_case keys at
// every depth and whole numbers.
func TestCommands_AnswerHelpAndPrintJSON(t *testing.T) {
	clitest.CheckHelp(t, program)

	h := mustServe(t)
	merged, erased := h.sampleData()
	clitest.CheckJSON(t, program,
		[]string{"status", "--json"},
		[]string{"peers", "--json"},
		[]string{"dealer", "list", "--json"},
		[]string{"agent", "list", "--json"},
		[]string{"candidates", "--json"},
		[]string{"candidates", "list", "--json"},
		[]string{"merges", merged, "--json"},
		[]string{"erase", "status", "--json"},
	)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"candidates"}, "birth_date 1.00"},
		{[]string{"merges", merged}, "SURVIVOR"},
		{[]string{"erase", "status"}, erased},
		{[]string{"agent", "list"}, "D-1"},
	} {
		if out := h.cli(tt.args...); !strings.Contains(out, tt.want) {
			t.Errorf("%v: no %q in\n%s", tt.args, tt.want, out)
		}
	}
}
