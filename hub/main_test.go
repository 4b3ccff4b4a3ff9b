package main

import (
	"testing"

	"github.com/touchpoint/touchpoint/internal/cli/clitest"
)

// Every command and subcommand answers --help and help with its usage on
// stdout and exit status 0.
func TestCommands_AnswerHelp(t *testing.T) {
	clitest.CheckHelp(t, program,
		[]string{"dealer", "add", "--help"}, []string{"dealer", "list", "--help"},
		[]string{"agent", "revoke", "--help"}, []string{"token", "create", "--help"},
		[]string{"key", "create", "--help"}, []string{"erase", "status", "--help"},
		[]string{"snapshot", "save", "--help"}, []string{"snapshot", "restore", "-h"},
		[]string{"candidates", "confirm", "--help"}, []string{"help", "dealer", "update"})
}
