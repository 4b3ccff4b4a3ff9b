package store

import (
	"fmt"

	"github.com/hashicorp/raft"
)

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
