package agentlink

import (
	"context"
	"time"
)

// A node answers from its own applied state, which may trail the leader
// by a few entries: a token created a moment ago through another node, or
// an agent enrolled through another node, may not be here yet. Lookups
// that fail for that reason wait this long for the node to catch up
// before they are refused (a forged token costs its sender the wait).
const (
	catchUpWait = 3 * time.Second
	catchUpPoll = 25 * time.Millisecond
)

// eventually reports whether found returns true within catchUpWait.
func eventually(ctx context.Context, found func() bool) bool {
	deadline := time.NewTimer(catchUpWait)
	defer deadline.Stop()
	tick := time.NewTicker(catchUpPoll)
	defer tick.Stop()
	for !found() {
		select {
		case <-ctx.Done():
			return false
		case <-deadline.C:
			return found()
		case <-tick.C:
		}
	}
	return true
}
