package clitest

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/internal/cli"
)

// CheckHelp runs every command and subcommand of p with --help, -h and
// help, and as `help COMMAND [SUBCOMMAND]`, plus each of extra (e.g.
// {"staff", "add", "--help"}): each must exit 0 with its usage line on
// stdout and nothing on stderr. It writes p's output into buffers until
// the test ends.
func CheckHelp(t *testing.T, p *cli.Program, extra ...[]string) {
	t.Helper()
	oldOut, oldErr := p.Stdout, p.Stderr
	t.Cleanup(func() { p.Stdout, p.Stderr = oldOut, oldErr })
	var stdout, stderr bytes.Buffer
	p.Stdout, p.Stderr = &stdout, &stderr
	for _, args := range append(HelpLines(p), extra...) {
		stdout.Reset()
		stderr.Reset()
		code := p.Run(args)
		want := "Usage: " + p.Name + " " + args[0]
		if args[0] == "help" {
			want = "Usage: " + p.Name + " " + args[1]
		}
		if code != cli.ExitOK || !strings.HasPrefix(stdout.String(), want) || stderr.Len() > 0 {
			t.Errorf("%s %s: exit %d, want 0 with %q on stdout\nstdout:\n%s\nstderr:\n%s",
				p.Name, strings.Join(args, " "), code, want, stdout.String(), stderr.String())
		}
	}
}

// HelpLines are the command lines that ask p for help: every command
// with --help, -h and help and as `help COMMAND`, and every subcommand
// with --help and as `help COMMAND SUBCOMMAND`.
func HelpLines(p *cli.Program) [][]string {
	var lines [][]string
	for _, c := range p.Commands {
		lines = append(lines, []string{c.Name, "--help"}, []string{c.Name, "-h"}, []string{c.Name, "help"}, []string{"help", c.Name})
		for _, sub := range c.Subcommands {
			lines = append(lines, []string{c.Name, sub, "--help"}, []string{"help", c.Name, sub})
		}
	}
	return lines
}

// jsonFlagLine is --json in a flag list (not in the usage line).
var jsonFlagLine = regexp.MustCompile(`(?m)^\s+(-\w, )?--json\b`)

// JSONCommands names the commands and subcommands of p whose help lists
// a --json flag, as "COMMAND" or "COMMAND SUBCOMMAND".
func JSONCommands(t *testing.T, p *cli.Program) []string {
	t.Helper()
	oldOut, oldErr := p.Stdout, p.Stderr
	defer func() { p.Stdout, p.Stderr = oldOut, oldErr }()
	var stdout bytes.Buffer
	p.Stdout, p.Stderr = &stdout, &stdout
	var names []string
	ask := func(args ...string) {
		stdout.Reset()
		if code := p.Run(append(args, "--help")); code != cli.ExitOK {
			t.Errorf("%s %s --help: exit %d\n%s", p.Name, strings.Join(args, " "), code, stdout.String())
		}
		if jsonFlagLine.MatchString(stdout.String()) {
			names = append(names, strings.Join(args, " "))
		}
	}
	for _, c := range p.Commands {
		ask(c.Name)
		for _, sub := range c.Subcommands {
			ask(c.Name, sub)
		}
	}
	return names
}

// CheckJSON runs each of lines, command lines with --json, and checks
// that it exits 0 and prints one JSON value whose keys are snake_case at
// every depth and whose numbers have no exponent; and that lines run
// every command and subcommand whose help lists --json. The commands
// print to os.Stdout, which CheckJSON takes over while each runs: it must
// not run in parallel with other tests.
func CheckJSON(t *testing.T, p *cli.Program, lines ...[]string) {
	t.Helper()
	covered := map[string]bool{}
	for _, args := range lines {
		if !slices.Contains(args, "--json") {
			t.Errorf("%s %s: a line to check has no --json", p.Name, strings.Join(args, " "))
			continue
		}
		covered[commandOf(p, args)] = true
		code, stdout, stderr := runCaptured(t, p, args)
		if code != cli.ExitOK {
			t.Errorf("%s %s: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", p.Name, strings.Join(args, " "), code, stdout, stderr)
			continue
		}
		if err := CheckJSONText(stdout); err != nil {
			t.Errorf("%s %s: %v\nstdout:\n%s", p.Name, strings.Join(args, " "), err, stdout)
		}
	}
	for _, name := range JSONCommands(t, p) {
		if !covered[name] {
			t.Errorf("%s %s takes --json but no line checks it: add one", p.Name, name)
		}
	}
}

// commandOf names the command or subcommand args run.
func commandOf(p *cli.Program, args []string) string {
	for _, c := range p.Commands {
		if c.Name == args[0] && len(args) > 1 && slices.Contains(c.Subcommands, args[1]) {
			return args[0] + " " + args[1]
		}
	}
	return args[0]
}

// runCaptured runs args, with what the command prints to os.Stdout and
// what p prints to its Stderr captured.
func runCaptured(t *testing.T, p *cli.Program, args []string) (code int, stdout, stderr string) {
	t.Helper()
	oldErr := p.Stderr
	defer func() { p.Stderr = oldErr }()
	var errBuf bytes.Buffer
	p.Stderr = &errBuf
	out, err := CaptureStdout(func() { code = p.Run(args) })
	if err != nil {
		t.Fatal(err)
	}
	return code, out, errBuf.String()
}
