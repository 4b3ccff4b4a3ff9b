package store

import (
	"errors"

	"github.com/touchpoint/touchpoint/hub/raftlog"
)

// Errors of the store.
var (
	// ErrNotLeader means the write needs the leader and none is known yet.
	ErrNotLeader = errors.New("no raft leader known: retry shortly")
	// ErrTimeout means the write did not commit in time; it may still.
	ErrTimeout = errors.New("write not committed in time: retry, writes are idempotent")
	// ErrNotLeaderHere means a membership change reached a follower.
	ErrNotLeaderHere = errors.New("this node is not the leader")
	// ErrClosed means the node is shutting down.
	ErrClosed = errors.New("hub node is shutting down: retry on another node")
	// ErrRaftLogUnreadable means the node's Raft log cannot be read back
	// (raftlog.ErrUnreadable): a damaged disk, or a raft-wal log left by
	// some kills during a truncation ("sealed segment has no index
	// block", raft-wal issue #31). The node's data is on the other nodes:
	// remove it from the cluster, move its data directory aside and join
	// it again.
	ErrRaftLogUnreadable = raftlog.ErrUnreadable
)
