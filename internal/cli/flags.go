package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"
)

// NewFlags makes the flag set of the command name. Its errors are
// returned, not fatal; --help and -h print the command's usage line,
// short help and flags on stdout and make Parse return pflag.ErrHelp.
func (p *Program) NewFlags(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(p.stderr())
	fs.Usage = func() {
		w := p.stdout()
		cmd, ok := p.command(name)
		if !ok {
			cmd = Command{Name: name, Usage: name}
		}
		fmt.Fprintf(w, "Usage: %s %s\n", p.Name, cmd.Usage)
		if cmd.Short != "" {
			fmt.Fprintf(w, "\n%s.\n", upperFirst(cmd.Short))
		}
		if flags := fs.FlagUsages(); flags != "" {
			fmt.Fprintf(w, "\nFlags:\n%s", flags)
		}
	}
	return fs
}

// usageError is a command line the command cannot run.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// UsageError is an error in the command line, such as a missing or extra
// argument: the program prints it with the command's usage line and
// exits with ExitUsage.
func UsageError(msg string) error { return &usageError{errors.New(msg)} }

// Usagef is UsageError with a format.
func Usagef(format string, a ...any) error { return &usageError{fmt.Errorf(format, a...)} }

// WrapUsage makes err, from checking the flags, a usage error; nil stays
// nil.
func WrapUsage(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err}
}

// IsUsage reports whether err is an error in the command line: a
// UsageError, or a flag that pflag could not parse.
func IsUsage(err error) bool {
	var (
		usage    *usageError
		unknown  *pflag.NotExistError
		noValue  *pflag.ValueRequiredError
		badValue *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	return errors.As(err, &usage) || errors.As(err, &unknown) || errors.As(err, &noValue) ||
		errors.As(err, &badValue) || errors.As(err, &syntax)
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// Subcommand is the first of args when it names a subcommand, i.e. is
// not a flag; otherwise "". A command reads it before making its flags
// when a subcommand has flags of its own (only listings take --json).
func Subcommand(args []string) string {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return ""
	}
	return args[0]
}

// EnvOr is the environment variable name, or def when it is empty: the
// default of a flag that an environment variable may set.
func EnvOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
