// Package logsetup builds the log/slog logger of both binaries from their
// --log-format and --log-level flags.
package logsetup
