package clitest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/internal/cli"
)

// CheckHelp runs every command of p with --help, -h and help, and as
// `help COMMAND`, plus each of extra (e.g. {"staff", "add", "--help"}):
// each must exit 0 with its usage line on stdout and nothing on stderr.
// It writes p's output into buffers until the test ends.
func CheckHelp(t *testing.T, p *cli.Program, extra ...[]string) {
	t.Helper()
	oldOut, oldErr := p.Stdout, p.Stderr
	t.Cleanup(func() { p.Stdout, p.Stderr = oldOut, oldErr })
	var stdout, stderr bytes.Buffer
	p.Stdout, p.Stderr = &stdout, &stderr
	var lines [][]string
	for _, c := range p.Commands {
		lines = append(lines, []string{c.Name, "--help"}, []string{c.Name, "-h"}, []string{c.Name, "help"}, []string{"help", c.Name})
	}
	for _, args := range append(lines, extra...) {
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
