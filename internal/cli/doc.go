// Package cli runs the subcommands of touchpoint-hub and touchpoint-agent:
// one table of commands per binary, GNU-style flags (spf13/pflag) and the
// conventions both binaries share.
//
//   - `PROG help`, `PROG --help`, `PROG -h` list the commands on stdout and
//     exit 0; `PROG help CMD`, `PROG CMD help` and `PROG CMD --help` print
//     the command's usage line and flags on stdout and exit 0.
//   - A usage error — no command, an unknown one, a bad flag, a missing or
//     extra argument (see [UsageError]) — exits 2 with the usage line on
//     stderr.
//   - Any other error exits 1.
//   - Every listing and status takes --json: one JSON value with
//     snake_case keys at every depth, numbers as the API wrote them. Only
//     the subcommands that print a listing take it (see [Subcommand]).
//
// Errors go to stderr as "PROG CMD: message".
package cli
