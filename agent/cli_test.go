package main

import (
	"testing"

	"github.com/touchpoint/touchpoint/internal/cli/clitest"
)

// Every command and subcommand answers --help and help with its usage on
// stdout and exit status 0.
func TestCommands_AnswerHelp(t *testing.T) {
	clitest.CheckHelp(t, program,
		[]string{"staff", "add", "--help"}, []string{"staff", "list", "--help"},
		[]string{"staff", "remove", "-h"}, []string{"staff", "audit", "--help"},
		[]string{"config", "check", "--help"}, []string{"help", "staff", "add"})
}
