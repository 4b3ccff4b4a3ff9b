package importcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/pflag"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/customer/csvimport"
)

// ErrRejectedRows is returned when the import finished but rejected rows;
// commands exit with ExitRejected for it.
var ErrRejectedRows = errors.New("rows were rejected")

// ExitRejected is the exit code of an import that rejected rows: the data
// is not all in, even though everything else went in.
const ExitRejected = 2

// Target is where an import sends its events.
type Target struct {
	Name  string // "hub" or "agent", for messages
	URL   string // the POST /v1/events endpoint
	Token string
	// Outgoing adjusts each event before sending; the agent sets the
	// source itself, so its import clears it.
	Outgoing func(*customer.Event)
}

// Run imports file into target with the given flags. Progress and
// notices go to stderr, the summary to stdout. SIGINT and SIGTERM stop
// it after the batch in flight; a rerun resumes.
func Run(file string, f *Flags, target Target, stdout, stderr *os.File) error {
	opts, err := f.options(file)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := csvimport.Config{
		Path: file, Decode: opts, Batch: f.batch, Restart: f.restart, DryRun: f.dryRun,
		Outgoing: target.Outgoing, Notices: stderr, Terminal: isTerminal(stderr),
	}
	if !f.quiet {
		cfg.Progress = stderr
	}
	poster := &httpPoster{name: target.Name, url: target.URL, token: target.Token, client: &http.Client{}}
	sum, err := csvimport.Run(ctx, cfg, poster)
	printSummary(stdout, file, f.dryRun, err != nil, sum)
	switch {
	case err != nil && ctx.Err() != nil:
		return fmt.Errorf("interrupted at line %d: run the same command again to resume", sum.Committed.Line)
	case err != nil:
		return err
	case sum.Rejected > 0:
		return fmt.Errorf("%w: %d of %d rows, see %s", ErrRejectedRows, sum.Rejected, sum.Rows, sum.Report)
	}
	return nil
}

// printSummary writes one line: what was read and what happened to it;
// after an error, what the checkpoint holds.
func printSummary(w io.Writer, file string, dryRun, stopped bool, s csvimport.Summary) {
	rate := 0.0
	if secs := s.Elapsed.Seconds(); secs > 0 {
		rate = float64(s.Read) / secs
	}
	switch {
	case dryRun:
		fmt.Fprintf(w, "checked %s: %d rows, %d valid, %d rejected (dry run: nothing sent)\n", file, s.Rows, s.Rows-s.Rejected, s.Rejected)
		return
	case stopped:
		fmt.Fprintf(w, "stopped %s: committed so far %d rows, %d created, %d duplicate, %d rejected\n", file, s.Rows, s.Created, s.Duplicate, s.Rejected)
		return
	}
	fmt.Fprintf(w, "imported %s: %d rows, %d created, %d duplicate, %d rejected in %s (%.0f rows/s)\n",
		file, s.Rows, s.Created, s.Duplicate, s.Rejected, s.Elapsed.Round(1e6), rate)
	if s.Report != "" {
		fmt.Fprintf(w, "rejected rows with line numbers and reasons: %s\n", s.Report)
	}
	if s.Warnings != "" {
		fmt.Fprintf(w, "%d rows recorded without a phone or e-mail that is not valid (fix them at the source): %s\n", s.Warned, s.Warnings)
	}
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// Exit ends the process with ExitRejected when err is ErrRejectedRows,
// after printing it; other errors are returned for main to report.
func Exit(prog string, err error) error {
	if errors.Is(err, ErrRejectedRows) {
		fmt.Fprintf(os.Stderr, "%s import: %v\n", prog, err)
		os.Exit(ExitRejected)
	}
	return err
}

// Main is the import command of prog: it adds the import flags to fs,
// parses args, and imports the one file named into the target that
// target describes once the flags are parsed.
func Main(prog string, fs *pflag.FlagSet, args []string, target func() Target) error {
	flags := AddFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	file, err := File(fs)
	if err != nil {
		return err
	}
	return Exit(prog, Run(file, flags, target(), os.Stdout, os.Stderr))
}
