// Package importcmd is the command-line and HTTP glue of
// "touchpoint-hub import" and "touchpoint-agent import": flags, posting
// batches to a POST /v1/events endpoint, the summary and the exit code.
// The import itself is package csvimport's.
package importcmd
