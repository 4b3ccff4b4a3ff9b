package systemtest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// hubStatus is `touchpoint-hub status` at n.
func hubStatus(t *testing.T, n *proc.HubNode) NodeStatus {
	t.Helper()
	var st NodeStatus
	if err := json.Unmarshal([]byte(Run(t, "touchpoint-hub", "status", "--json", "--addr", n.HTTP)), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// webEvents makes n web events of n different customers.
func webEvents(prefix string, n int) []customer.Event {
	var out []customer.Event
	for i := range n {
		out = append(out, NewEvent(fmt.Sprintf("%s-%d", prefix, i), "web:zot.example", "page_view", fmt.Sprintf("+1773555%04d", i), time.Now()))
	}
	return out
}

// checkAll fails unless node holds every event, each once.
func checkAll(node *proc.HubNode, events []customer.Event) error {
	for _, e := range events {
		found, err := Search(node.URL(""), "phone", e.Customer.Phone)
		if err != nil {
			return err
		}
		if err := HasEvent(found, e.ID); err != nil {
			return fmt.Errorf("%s: %w", node.ID, err)
		}
	}
	return nil
}

// Operators drive a 3-node hub through the CLI: every node agrees on
// status and peers, a removed and re-added node keeps the data, and a
// snapshot restored into a fresh cluster brings every event back.
func TestOps_MembershipAndSnapshotRestore(t *testing.T) {
	c := StartCluster(t, 3)
	leader := hubStatus(t, c.Nodes[0]).LeaderID
	for _, n := range c.Nodes {
		st := hubStatus(t, n)
		if st.LeaderID != leader || len(st.Peers) != 3 {
			t.Fatalf("%s sees leader %s and %d peers; %s sees %s", n.ID, st.LeaderID, len(st.Peers), c.Nodes[0].ID, leader)
		}
		peers := Run(t, "touchpoint-hub", "peers", "--addr", n.HTTP)
		for _, m := range c.Nodes {
			if !strings.Contains(peers, m.ID) || !strings.Contains(peers, m.HTTP) {
				t.Fatalf("peers at %s lacks %s:\n%s", n.ID, m.ID, peers)
			}
		}
	}
	before := webEvents("before", 20)
	c.PostEvents(c.Nodes[0], before...)

	// Remove hub3, write while it is gone, then add it back empty.
	third := c.Nodes[2]
	Run(t, "touchpoint-hub", "remove-peer", third.ID, "--addr", c.Nodes[1].HTTP)
	third.Kill()
	during := webEvents("during", 20)
	c.PostEvents(c.Nodes[1], during...)
	if err := os.RemoveAll(third.Dir); err != nil {
		t.Fatal(err)
	}
	third.MustStart(t)
	c.WaitReady(third, 3)
	Eventually(t, 60*time.Second, "re-added node catches up", func() error { return checkAll(third, append(before, during...)) })

	// Save a snapshot, lose every node, restore into a fresh one.
	file := filepath.Join(t.TempDir(), "hub.snap")
	out := Run(t, "touchpoint-hub", "snapshot", "save", file, "--addr", c.Nodes[0].HTTP)
	if !strings.Contains(out, "checksum verified") {
		t.Fatalf("snapshot save said: %s", out)
	}
	for _, n := range c.Nodes {
		n.Kill()
	}
	fresh := StartCluster(t, 1)
	Run(t, "touchpoint-hub", "snapshot", "restore", file, "--addr", fresh.Nodes[0].HTTP)
	// The restored state brings back the old cluster's credentials.
	SetToken(fresh.Nodes[0].HTTP, c.Token)
	setOperatorToken(c.Token)
	if err := checkAll(fresh.Nodes[0], append(before, during...)); err != nil {
		t.Fatalf("after restore: %v", err)
	}
	// A damaged file is refused before anything changes.
	data, _ := os.ReadFile(file)
	data[len(data)/2] ^= 0xff
	bad := filepath.Join(t.TempDir(), "bad.snap")
	_ = os.WriteFile(bad, data, 0o600)
	if err := RunErr("touchpoint-hub", "snapshot", "restore", bad, "--addr", fresh.Nodes[0].HTTP); err == nil {
		t.Fatal("restoring a damaged snapshot succeeded")
	}
}

// A rolling restart of all three nodes under continuous ingest loses and
// rejects nothing: a client retrying against any node gets every event in.
func TestOps_RollingRestartUnderIngest(t *testing.T) {
	c := StartCluster(t, 3)
	var acked []customer.Event
	var mu sync.Mutex
	var rejected atomic.Int32
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			e := NewEvent(fmt.Sprintf("roll-%d", i), "web:zot.example", "page_view", fmt.Sprintf("+1872555%04d", i%500), time.Now())
			status := postUntilAccepted(c, e, stop)
			switch status {
			case "":
				return
			case "rejected":
				rejected.Add(1)
			default:
				mu.Lock()
				acked = append(acked, e)
				mu.Unlock()
			}
		}
	}()
	for _, n := range c.Nodes {
		time.Sleep(time.Second)
		n.Stop()
		n.MustStart(t)
		c.WaitReady(n, 3)
	}
	time.Sleep(time.Second)
	close(stop)
	<-done
	if rejected.Load() != 0 {
		t.Fatalf("%d events rejected during the rolling restart", rejected.Load())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(acked) < 20 {
		t.Fatalf("only %d events acknowledged during the restart", len(acked))
	}
	for _, n := range c.Nodes {
		Eventually(t, 30*time.Second, "all acknowledged events at "+n.ID, func() error { return checkAll(n, acked) })
	}
	t.Logf("%d events acknowledged across a rolling restart, none lost or rejected", len(acked))
}

// postUntilAccepted posts e to the nodes in turn until one answers 200,
// as a client with several hub addresses would, and returns its status.
func postUntilAccepted(c *Cluster, e customer.Event, stop <-chan struct{}) string {
	for i := 0; ; i++ {
		var out struct{ Results []struct{ Status string } }
		node := c.Nodes[i%len(c.Nodes)]
		if err := Call("POST", node.URL("/v1/events"), e, &out); err == nil && len(out.Results) == 1 {
			return out.Results[0].Status
		}
		select {
		case <-stop:
			if i > 50 {
				return ""
			}
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// An agent that stops reporting shows as silent in `agent list` and on
// the fleet page within the threshold.
func TestOps_SilentAgentIsFlagged(t *testing.T) {
	c := StartCluster(t, 3, "--silent-after", "3s")
	c.AddDealer("D-017", "606")
	agent := c.StartAgent("D-017")
	state := func() string {
		var out struct{ Agents []struct{ State string } }
		_ = json.Unmarshal([]byte(Run(t, "touchpoint-hub", "agent", "list", "--json", "--addr", c.Nodes[1].HTTP)), &out)
		if len(out.Agents) != 1 {
			return "missing"
		}
		return out.Agents[0].State
	}
	Eventually(t, 20*time.Second, "agent ok", func() error {
		if s := state(); s != "ok" {
			return fmt.Errorf("state %s", s)
		}
		return nil
	})
	agent.Kill()
	Eventually(t, 20*time.Second, "agent silent", func() error {
		if s := state(); s != "silent" {
			return fmt.Errorf("state %s", s)
		}
		return nil
	})
	page := ""
	if err := CallText(c.Nodes[2].URL("/"), &page); err != nil || !strings.Contains(page, "1 silent") || !strings.Contains(page, "D-017") {
		t.Fatalf("fleet page does not show the silent agent (err %v):\n%s", err, page)
	}
}

// After losing two of three nodes for good, the survivor restarted with
// --recover-peers leads alone and keeps every committed event.
func TestOps_LostQuorumRecovery(t *testing.T) {
	c := StartCluster(t, 3)
	events := webEvents("quorum", 10)
	c.PostEvents(c.Nodes[0], events...)
	for _, n := range c.Nodes[1:] {
		Eventually(t, 30*time.Second, n.ID+" replicated", func() error { return checkAll(n, events) })
	}
	survivor := c.Nodes[0]
	for _, n := range c.Nodes {
		n.Kill()
	}
	survivor.Args = append(survivor.Args, "--recover-peers", survivor.ID+"="+survivor.Raft)
	survivor.MustStart(t)
	c.WaitReady(survivor, 1)
	if err := checkAll(survivor, events); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	more := webEvents("after", 3)
	if got := c.PostEvents(survivor, more...); got[0] != "created" {
		t.Fatalf("write after recovery: %v", got)
	}
}
