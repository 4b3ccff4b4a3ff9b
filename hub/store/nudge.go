package store

import (
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// A follower learns that an entry is committed only from the leader's next
// AppendEntries: with nothing else to send, that is the next heartbeat,
// up to HeartbeatTimeout/10 (50 ms) later, and the follower's agents wait
// for it. After a commit the leader therefore appends a barrier (an empty
// entry the FSM never sees), which carries the new commit index to the
// followers at once. Barriers are coalesced: one at a time, and none while
// another is pending, so under load they add almost nothing.
type nudger struct {
	raft     *raft.Raft
	wake     chan struct{}
	stop     chan struct{}
	stopOnce sync.Once
}

// nudgeTimeout bounds one barrier's wait.
const nudgeTimeout = 5 * time.Second

func newNudger(r *raft.Raft) *nudger {
	n := &nudger{raft: r, wake: make(chan struct{}, 1), stop: make(chan struct{})}
	go n.run()
	return n
}

// nudge asks for a barrier soon; it never blocks.
func (n *nudger) nudge() {
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

func (n *nudger) run() {
	for {
		select {
		case <-n.wake:
		case <-n.stop:
			return
		}
		if n.raft.State() == raft.Leader && len(n.raft.GetConfiguration().Configuration().Servers) > 1 {
			_ = n.raft.Barrier(nudgeTimeout).Error() // best effort: a heartbeat follows anyway
		}
	}
}

func (n *nudger) close() { n.stopOnce.Do(func() { close(n.stop) }) }
