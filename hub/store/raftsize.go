package store

import "time"

// Raft log sizes by default (serve --snapshot-threshold, --trailing-logs,
// --snapshot-interval).
const (
	// DefaultSnapshotInterval is how often a node checks whether
	// SnapshotThreshold entries have passed (hashicorp/raft's default).
	DefaultSnapshotInterval = 120 * time.Second
	// DefaultSnapshotThreshold is how many entries pass between a node's
	// automatic snapshots.
	DefaultSnapshotThreshold = 8192
	// DefaultTrailingLogs is how many entries a snapshot leaves in the
	// log, so a follower a little behind catches up from the log instead
	// of needing the whole snapshot.
	DefaultTrailingLogs = 10240
)

// orDefault is v, or def when v is 0.
func orDefault(v, def uint64) uint64 {
	if v == 0 {
		return def
	}
	return v
}
