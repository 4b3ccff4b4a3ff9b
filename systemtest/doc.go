// Package systemtest drives whole Touchpoint systems as a user would: hub
// nodes and dealer agents run as real processes on 127.0.0.1, talking real
// Raft, QUIC and HTTP, and the tests kill, restart and partition them.
// Start with sync_test.go.
//
// The package's own files are the harness these tests and the chaos suite
// (systemtest/chaos) share: a hub cluster (cluster.go) and agents
// (agent.go), the calls a test makes to them (api.go) and the commands it
// runs (commands.go). The processes are systemtest/proc's; the faulty
// network line is systemtest/udpproxy.
package systemtest
