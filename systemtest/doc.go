// Package systemtest drives whole Touchpoint systems as a user would: hub
// nodes and dealer agents run as real processes on 127.0.0.1, talking real
// Raft, QUIC and HTTP, and the tests kill, restart and partition them.
// Start with sync_test.go; the harness is in harness_test.go.
package systemtest
