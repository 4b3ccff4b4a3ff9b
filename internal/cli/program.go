package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"
)

// Exit statuses of a command.
const (
	ExitOK      = 0 // done, or help was asked for
	ExitFailure = 1 // the command failed
	ExitUsage   = 2 // the command line is wrong
)

// Command is one subcommand of a program.
type Command struct {
	Name  string                    // what is typed, e.g. "status"
	Usage string                    // the synopsis after the program's name, e.g. "status [--json]"
	Short string                    // one line for the command list
	Run   func(args []string) error // runs with the arguments after Name
	// Subcommands are the words that may follow Name, e.g. "add" and
	// "list" (none for a plain command); help and tests walk them.
	Subcommands []string
}

// Program is one binary: its name and its commands.
type Program struct {
	Name     string    // e.g. "touchpoint-hub"
	Commands []Command // in the order the command list shows them
	Note     string    // printed under the command list
	// Stdout and Stderr receive help and errors; nil means os.Stdout and
	// os.Stderr at the time of writing.
	Stdout, Stderr io.Writer
}

// Main runs the command os.Args names and exits with its status.
func (p *Program) Main() {
	os.Exit(p.Run(os.Args[1:]))
}

// Run runs the command args names and returns the exit status.
func (p *Program) Run(args []string) int {
	if len(args) == 0 {
		p.printCommands(p.stderr())
		return ExitUsage
	}
	if isHelp(args[0]) {
		if len(args) == 1 || isHelp(args[1]) {
			p.printCommands(p.stdout())
			return ExitOK
		}
		// help CMD [SUB]: the command's own --help.
		args = append(args[1:len(args):len(args)], "--help")
	}
	cmd, ok := p.command(args[0])
	if !ok {
		fmt.Fprintf(p.stderr(), "%s: unknown command %q\n\n", p.Name, args[0])
		p.printCommands(p.stderr())
		return ExitUsage
	}
	rest := args[1:]
	if len(rest) > 0 && rest[0] == "help" {
		rest = []string{"--help"}
	}
	err := cmd.Run(rest)
	switch {
	case err == nil || errors.Is(err, pflag.ErrHelp):
		return ExitOK
	case IsUsage(err):
		fmt.Fprintf(p.stderr(), "%s %s: %v\nUsage: %s %s\nRun `%s help %s` for its flags.\n",
			p.Name, cmd.Name, err, p.Name, cmd.Usage, p.Name, cmd.Name)
		return ExitUsage
	}
	fmt.Fprintf(p.stderr(), "%s %s: %v\n", p.Name, cmd.Name, err)
	return ExitFailure
}

// VersionCommand is the `version` command: it prints the program's name
// and version.
func (p *Program) VersionCommand(version string) Command {
	const name = "version"
	return Command{Name: name, Usage: name, Short: "print the version", Run: func(args []string) error {
		fs := p.NewFlags(name)
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return UsageError("takes no arguments")
		}
		_, err := fmt.Fprintln(p.stdout(), p.Name, version)
		return err
	}}
}

// isHelp reports whether a program's first argument asks for help.
func isHelp(arg string) bool {
	return arg == "help" || arg == "--help" || arg == "-h"
}

func (p *Program) command(name string) (Command, bool) {
	for _, c := range p.Commands {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

// printCommands lists the commands.
func (p *Program) printCommands(w io.Writer) {
	width := 0
	for _, c := range p.Commands {
		width = max(width, len(c.Name))
	}
	fmt.Fprintf(w, "Usage: %s COMMAND [flags]\n\nCommands:\n", p.Name)
	for _, c := range p.Commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.Name, c.Short)
	}
	fmt.Fprintln(w)
	if p.Note != "" {
		fmt.Fprintln(w, p.Note)
	}
	fmt.Fprintf(w, "Run `%s help COMMAND` (or COMMAND --help) for its usage and flags.\n", p.Name)
}

func (p *Program) stdout() io.Writer {
	if p.Stdout != nil {
		return p.Stdout
	}
	return os.Stdout
}

func (p *Program) stderr() io.Writer {
	if p.Stderr != nil {
		return p.Stderr
	}
	return os.Stderr
}
