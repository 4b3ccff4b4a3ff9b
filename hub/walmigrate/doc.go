// Package walmigrate opens a hub node's Raft log (hub/raftlog), first
// moving into it, once, a log that a node from before raftlog kept with
// hashicorp/raft-wal in <data-dir>/raft/wal. The old log is kept as
// raft/wal.migrated until the operator deletes it.
package walmigrate
