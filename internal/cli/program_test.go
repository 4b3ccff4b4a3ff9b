package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// mustProgram is a program with a plain command, a command with a
// subcommand group and one that fails, writing into buffers.
func mustProgram(t *testing.T) (p *Program, stdout, stderr *bytes.Buffer) {
	t.Helper()
	stdout, stderr = new(bytes.Buffer), new(bytes.Buffer)
	p = &Program{Name: "tp", Note: "A note.", Stdout: stdout, Stderr: stderr}
	p.Commands = []Command{
		{Name: "status", Usage: "status [--json]", Short: "show the state", Run: func(args []string) error {
			fs := p.NewFlags("status")
			asJSON := fs.Bool("json", false, "print JSON")
			if err := fs.Parse(args); err != nil {
				return err
			}
			if fs.NArg() > 0 {
				return UsageError("takes no arguments")
			}
			if *asJSON {
				p.stdout().Write([]byte("{}\n"))
			}
			return nil
		}},
		{Name: "staff", Usage: "staff add USER | staff list", Short: "manage staff", Run: func(args []string) error {
			if len(args) == 0 || strings.HasPrefix(args[0], "-") {
				if err := p.NewFlags("staff").Parse(args); err != nil {
					return err
				}
				return UsageError("give a subcommand: add or list")
			}
			fs := p.NewFlags("staff")
			name := fs.String("name", "", "the person's name")
			if err := fs.Parse(args[1:]); err != nil {
				return err
			}
			switch {
			case args[0] == "list":
				return nil
			case args[0] != "add":
				return Usagef("unknown subcommand %q", args[0])
			case *name == "":
				return UsageError("--name: required")
			}
			return nil
		}},
		{Name: "fail", Usage: "fail", Short: "always fails", Run: func([]string) error {
			return errors.New("disk full")
		}},
		p.VersionCommand("1.2.3"),
	}
	return p, stdout, stderr
}

// Help in every form exits 0 with the help on stdout; usage errors exit
// 2 and failures 1, each with a message on stderr naming the command.
func TestProgram_ExitStatuses(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		want       int
		wantStdout string // a part of stdout; "" when stdout must be empty
		wantStderr string // a part of stderr; "" when stderr must be empty
	}{
		{"no command", nil, ExitUsage, "", "Usage: tp COMMAND"},
		{"help", []string{"help"}, ExitOK, "version  print the version", ""},
		{"--help", []string{"--help"}, ExitOK, "A note.", ""},
		{"-h", []string{"-h"}, ExitOK, "Commands:", ""},
		{"help help", []string{"help", "help"}, ExitOK, "Commands:", ""},
		{"help COMMAND", []string{"help", "status"}, ExitOK, "Usage: tp status [--json]", ""},
		{"help COMMAND SUBCOMMAND", []string{"help", "staff", "add"}, ExitOK, "--name string", ""},
		{"help an unknown command", []string{"help", "frobnicate"}, ExitUsage, "", `unknown command "frobnicate"`},
		{"COMMAND --help", []string{"status", "--help"}, ExitOK, "--json", ""},
		{"COMMAND -h", []string{"status", "-h"}, ExitOK, "Show the state.", ""},
		{"COMMAND help", []string{"status", "help"}, ExitOK, "Usage: tp status", ""},
		{"group --help", []string{"staff", "--help"}, ExitOK, "Usage: tp staff add USER | staff list", ""},
		{"group help", []string{"staff", "help"}, ExitOK, "Usage: tp staff", ""},
		{"group SUBCOMMAND --help", []string{"staff", "add", "--help"}, ExitOK, "--name", ""},
		{"version --help", []string{"version", "--help"}, ExitOK, "Usage: tp version", ""},
		{"unknown command", []string{"frobnicate"}, ExitUsage, "", `tp: unknown command "frobnicate"`},
		{"unknown flag", []string{"status", "--bogus"}, ExitUsage, "", "tp status: unknown flag: --bogus\nUsage: tp status [--json]"},
		{"unknown shorthand", []string{"status", "-x"}, ExitUsage, "", "tp status: unknown shorthand flag"},
		{"flag without its value", []string{"staff", "add", "--name"}, ExitUsage, "", "tp staff: flag needs an argument: --name"},
		{"flag with a bad value", []string{"status", "--json=maybe"}, ExitUsage, "", "tp status: invalid argument"},
		{"extra argument", []string{"status", "now"}, ExitUsage, "", "tp status: takes no arguments"},
		{"group without subcommand", []string{"staff"}, ExitUsage, "", "tp staff: give a subcommand"},
		{"group with a flag first", []string{"staff", "--name", "x"}, ExitUsage, "", "tp staff: unknown flag: --name"},
		{"unknown subcommand", []string{"staff", "promote"}, ExitUsage, "", `tp staff: unknown subcommand "promote"`},
		{"missing required flag", []string{"staff", "add", "m.jones"}, ExitUsage, "", "tp staff: --name: required"},
		{"failure", []string{"fail"}, ExitFailure, "", "tp fail: disk full\n"},
		{"success", []string{"status", "--json"}, ExitOK, "{}", ""},
		{"group success", []string{"staff", "add", "m.jones", "--name", "Maria"}, ExitOK, "", ""},
		{"version", []string{"version"}, ExitOK, "tp 1.2.3\n", ""},
		{"version with an argument", []string{"version", "now"}, ExitUsage, "", "tp version: takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, stdout, stderr := mustProgram(t)
			got := p.Run(tt.args)
			if got != tt.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got, tt.want, stdout, stderr)
			}
			checkOutput(t, "stdout", stdout.String(), tt.wantStdout)
			checkOutput(t, "stderr", stderr.String(), tt.wantStderr)
		})
	}
}

func checkOutput(t *testing.T, name, got, want string) {
	t.Helper()
	switch {
	case want == "" && got != "":
		t.Errorf("%s should be empty, is:\n%s", name, got)
	case !strings.Contains(got, want):
		t.Errorf("%s lacks %q:\n%s", name, want, got)
	}
}

// A usage error keeps the error it wraps, so callers can still tell it
// apart; nil stays nil.
func TestWrapUsage_KeepsTheCause(t *testing.T) {
	cause := errors.New("--data-dir: required")
	err := WrapUsage(cause)
	if !IsUsage(err) || !errors.Is(err, cause) || err.Error() != cause.Error() {
		t.Fatalf("WrapUsage(%v) = %v", cause, err)
	}
	if WrapUsage(nil) != nil {
		t.Fatal("WrapUsage(nil) is not nil")
	}
	if IsUsage(cause) || IsUsage(nil) {
		t.Fatal("a plain error counts as a usage error")
	}
}

// An environment variable, when set, is a flag's default.
func TestEnvOr_PrefersASetVariable(t *testing.T) {
	t.Setenv("TP_TEST_ADDR", "")
	if got := EnvOr("TP_TEST_ADDR", "def"); got != "def" {
		t.Fatalf("unset: %q", got)
	}
	t.Setenv("TP_TEST_ADDR", "http://x")
	if got := EnvOr("TP_TEST_ADDR", "def"); got != "http://x" {
		t.Fatalf("set: %q", got)
	}
}
