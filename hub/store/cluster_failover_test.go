package store_test

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/hub/store"
)

// person is the i-th test customer's identity.
func person(i int) customer.Hints {
	return customer.Hints{Email: fmt.Sprintf("p%d@example.com", i)}
}

// waitForPeople waits until every running node serves people 0..n-1 with
// one event each.
func (c *cluster) waitForPeople(n int) {
	c.t.Helper()
	for i := range n {
		c.waitForProfile(state.Query{Email: person(i).Email}, 1)
	}
}

// When the leader dies the survivors elect another, accept writes, and
// keep every write acknowledged before.
func TestCluster_LeaderLossKeepsAcknowledgedWrites(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3)
	old := c.leader()
	for i := range 5 {
		via := old
		if i%2 == 1 {
			via = c.follower()
		}
		mustIngest(t, via, webEvent(fmt.Sprintf("w-%d", i), person(i)))
	}

	c.stop(c.index(old))
	leader := c.leader()
	if leader == old {
		t.Fatal("the stopped node still leads")
	}
	mustIngest(t, c.follower(), webEvent("w-5", person(5)))
	mustIngest(t, leader, webEvent("w-6", person(6)))
	c.waitForPeople(7)

	// The old leader comes back as a follower and catches up.
	c.start(c.index(old))
	c.waitSettled()
	c.waitForPeople(7)
}

// A follower restarted on the same data directory rejoins and catches up
// on what it missed.
func TestCluster_RestartedFollowerCatchesUp(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3)
	mustIngest(t, c.leader(), webEvent("w-0", person(0)))
	c.waitForPeople(1)

	down := c.index(c.follower())
	c.stop(down)
	mustIngest(t, c.follower(), webEvent("w-1", person(1)))
	mustIngest(t, c.leader(), webEvent("w-2", person(2)))

	c.start(down)
	c.waitSettled()
	c.waitForPeople(3)
	if st := c.nodes[down].st.Status(); st.AppliedIndex < st.CommitIndex {
		t.Fatalf("restarted node applied %d of %d", st.AppliedIndex, st.CommitIndex)
	}
}

// After a snapshot a node restarts with all its data, and a node that lost
// its FSM state rebuilds it from the snapshot and the log after it.
func TestCluster_SnapshotThenRestartKeepsData(t *testing.T) {
	t.Parallel()
	for _, loseState := range []bool{false, true} {
		t.Run(fmt.Sprintf("lose_fsm_state=%v", loseState), func(t *testing.T) {
			t.Parallel()
			c := newCluster(t, 3)
			for i := range 3 {
				mustIngest(t, c.follower(), webEvent(fmt.Sprintf("w-%d", i), person(i)))
			}
			c.waitForPeople(3)
			node := c.follower()
			if err := node.st.TakeSnapshot(); err != nil {
				t.Fatal(err)
			}
			mustIngest(t, c.leader(), webEvent("w-3", person(3)))
			c.waitForPeople(4)

			i := c.index(node)
			c.stop(i)
			if loseState {
				// The FSM's Badger lives in <data-dir>/fsm (store.go).
				if err := os.RemoveAll(filepath.Join(node.cfg.DataDir, "fsm")); err != nil {
					t.Fatal(err)
				}
			}
			mustIngest(t, c.leader(), webEvent("w-4", person(4)))
			c.start(i)
			c.waitSettled()
			c.waitForPeople(5)
		})
	}
}

// Agents are served only by a node whose state is current: every node of
// a settled cluster, not a node that has applied nothing yet (it just
// started and has not joined).
func TestCluster_OnlyCurrentNodesServeAgents(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3)
	for i, n := range c.nodes {
		if ok, backlog := n.st.ServesAgents(); !ok {
			t.Errorf("node %d of a settled cluster does not serve agents (backlog %d)", i, backlog)
		}
	}
	out := testLogOutput()
	lonely, err := store.Open(store.Config{
		NodeID: "lonely", DataDir: t.TempDir(), RaftAddr: freeAddr(t), HTTPAddr: freeAddr(t), AgentAddr: freeAddr(t),
		Region: "US", RaftLogOutput: out, Logger: slog.New(slog.NewTextHandler(out, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer lonely.Close()
	if ok, _ := lonely.ServesAgents(); ok {
		t.Error("a node that has applied nothing serves agents")
	}
}
