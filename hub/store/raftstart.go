package store

import (
	"errors"
	"fmt"

	"github.com/hashicorp/raft"
)

// ErrRaftLogUnreadable means the node's Raft log cannot be read back: a
// damaged disk, or a raft-wal log (the store before hub/raftlog) left by
// some kills during a truncation ("sealed segment has no index block",
// raft-wal issue #31). The node's data is on the other nodes: remove it
// from the cluster, move its data directory aside and join it again.
var ErrRaftLogUnreadable = errors.New("this node's Raft log cannot be read")

// newRaft is raft.NewRaft, which panics when a log entry it scans at
// start cannot be read; that panic comes back as ErrRaftLogUnreadable,
// so the operator reads what to do instead of a stack trace. NewRaft
// starts no goroutine before that scan, so nothing is left running.
func newRaft(conf *raft.Config, fsm raft.FSM, logs raft.LogStore, stable raft.StableStore,
	snaps raft.SnapshotStore, trans raft.Transport) (r *raft.Raft, err error) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		perr, ok := p.(error)
		if !ok {
			panic(p)
		}
		r, err = nil, fmt.Errorf("%w (%v)", ErrRaftLogUnreadable, perr)
	}()
	return raft.NewRaft(conf, fsm, logs, stable, snaps, trans)
}
