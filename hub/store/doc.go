// Package store is one hub node: a hashicorp/raft node whose FSM is the
// customer graph of hub/state, kept in Badger (hub/state/badgerkv), with
// its Raft log in hub/raftlog (hub/walmigrate moves an older raft-wal log
// over once).
//
// Every write is a state.Command in a Raft log entry, proposed with the
// leader's clock; fsm.go hands committed entries to state.ApplyEntry and
// streams snapshots, and nothing else. Writes reaching a follower are
// forwarded to the leader through hub/cluster, which also gives the node
// its TLS identity. Concurrent ingests share entries (groupcommit.go).
// Reads (profiles, searches, the per-dealer change feed) come from the
// embedded *state.State, as this node has applied it.
package store
