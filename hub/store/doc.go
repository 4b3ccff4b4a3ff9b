// Package store is the hub's replicated state: a hashicorp/raft node whose
// FSM keeps the customer graph in Badger. Every write is a Command in a Raft
// log entry; Apply is deterministic (the leader stamps clocks and derived
// values into the command) and records the applied index in the same Badger
// transaction, so replaying the log after a restart changes nothing.
//
// Writes reaching a follower are forwarded to the leader's HTTP API; reads
// (profiles, searches, the per-dealer change feed) are served by any node
// from its own applied state.
package store
