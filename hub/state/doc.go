// Package state is the hub's customer graph as a pure, deterministic
// package: commands in (Entry, Command), writes to an injected ordered
// key/value store (kv.DB) and reads out (profiles, searches, the
// per-dealer change feed, the dealer and agent registry, candidates,
// merges, erasures, cluster secrets).
//
// It covers ingest and identity joins, merges and splits with merge
// protection, households, match candidates, erasure, feed positions,
// derived profiles, queries, snapshots of the whole key space and the
// key layout. It imports no Raft, no HTTP, no TLS and no storage engine,
// reads no clock and draws no random number (time comes in Entry.Time):
// hub/store runs it as Raft's FSM, and hub/state/badgerkv keeps its keys
// in Badger. DESIGN.md explains the key families, what Apply may do and
// how a replay stays exact.
package state
