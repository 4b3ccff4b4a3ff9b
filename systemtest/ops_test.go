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
)

type statusOut struct {
	LeaderID string `json:"leader_id"`
	Peers    []struct{ ID string }
}

func hubStatus(t *testing.T, n *hubNode) statusOut {
	t.Helper()
	var st statusOut
	if err := json.Unmarshal([]byte(run(t, "touchpoint-hub", "status", "--json", "--addr", n.http)), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// webEvents makes n web events of n different customers.
func webEvents(prefix string, n int) []customer.Event {
	var out []customer.Event
	for i := range n {
		out = append(out, event(fmt.Sprintf("%s-%d", prefix, i), "web:zot.example", "page_view", fmt.Sprintf("+1773555%04d", i), time.Now()))
	}
	return out
}

// checkAll fails unless node holds every event, each once.
func checkAll(node *hubNode, events []customer.Event) error {
	for _, e := range events {
		found, err := search(node.url(""), "phone", e.Customer.Phone)
		if err != nil {
			return err
		}
		if err := hasEvent(found, e.ID); err != nil {
			return fmt.Errorf("%s: %w", node.id, err)
		}
	}
	return nil
}

// Operators drive a 3-node hub through the CLI: every node agrees on
// status and peers, a removed and re-added node keeps the data, and a
// snapshot restored into a fresh cluster brings every event back.
func TestOps_MembershipAndSnapshotRestore(t *testing.T) {
	c := startCluster(t, 3)
	leader := hubStatus(t, c.nodes[0]).LeaderID
	for _, n := range c.nodes {
		st := hubStatus(t, n)
		if st.LeaderID != leader || len(st.Peers) != 3 {
			t.Fatalf("%s sees leader %s and %d peers; %s sees %s", n.id, st.LeaderID, len(st.Peers), c.nodes[0].id, leader)
		}
		peers := run(t, "touchpoint-hub", "peers", "--addr", n.http)
		for _, m := range c.nodes {
			if !strings.Contains(peers, m.id) || !strings.Contains(peers, m.http) {
				t.Fatalf("peers at %s lacks %s:\n%s", n.id, m.id, peers)
			}
		}
	}
	before := webEvents("before", 20)
	c.postEvents(c.nodes[0], before...)

	// Remove hub3, write while it is gone, then add it back empty.
	third := c.nodes[2]
	run(t, "touchpoint-hub", "remove-peer", third.id, "--addr", c.nodes[1].http)
	third.kill()
	during := webEvents("during", 20)
	c.postEvents(c.nodes[1], during...)
	if err := os.RemoveAll(third.dir); err != nil {
		t.Fatal(err)
	}
	third.start()
	c.waitReady(third, 3)
	eventually(t, 60*time.Second, "re-added node catches up", func() error { return checkAll(third, append(before, during...)) })

	// Save a snapshot, lose every node, restore into a fresh one.
	file := filepath.Join(t.TempDir(), "hub.snap")
	out := run(t, "touchpoint-hub", "snapshot", "save", file, "--addr", c.nodes[0].http)
	if !strings.Contains(out, "checksum verified") {
		t.Fatalf("snapshot save said: %s", out)
	}
	for _, n := range c.nodes {
		n.kill()
	}
	fresh := startCluster(t, 1)
	run(t, "touchpoint-hub", "snapshot", "restore", file, "--addr", fresh.nodes[0].http)
	// The restored state brings back the old cluster's credentials.
	setToken(fresh.nodes[0].http, c.token)
	setOperatorToken(c.token)
	if err := checkAll(fresh.nodes[0], append(before, during...)); err != nil {
		t.Fatalf("after restore: %v", err)
	}
	// A damaged file is refused before anything changes.
	data, _ := os.ReadFile(file)
	data[len(data)/2] ^= 0xff
	bad := filepath.Join(t.TempDir(), "bad.snap")
	_ = os.WriteFile(bad, data, 0o600)
	if err := runErr("touchpoint-hub", "snapshot", "restore", bad, "--addr", fresh.nodes[0].http); err == nil {
		t.Fatal("restoring a damaged snapshot succeeded")
	}
}

// A rolling restart of all three nodes under continuous ingest loses and
// rejects nothing: a client retrying against any node gets every event in.
func TestOps_RollingRestartUnderIngest(t *testing.T) {
	c := startCluster(t, 3)
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
			e := event(fmt.Sprintf("roll-%d", i), "web:zot.example", "page_view", fmt.Sprintf("+1872555%04d", i%500), time.Now())
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
	for _, n := range c.nodes {
		time.Sleep(time.Second)
		n.stop()
		n.start()
		c.waitReady(n, 3)
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
	for _, n := range c.nodes {
		eventually(t, 30*time.Second, "all acknowledged events at "+n.id, func() error { return checkAll(n, acked) })
	}
	t.Logf("%d events acknowledged across a rolling restart, none lost or rejected", len(acked))
}

// postUntilAccepted posts e to the nodes in turn until one answers 200,
// as a client with several hub addresses would, and returns its status.
func postUntilAccepted(c *hubCluster, e customer.Event, stop <-chan struct{}) string {
	for i := 0; ; i++ {
		var out struct{ Results []struct{ Status string } }
		node := c.nodes[i%len(c.nodes)]
		if err := call("POST", node.url("/v1/events"), e, &out); err == nil && len(out.Results) == 1 {
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
	c := startCluster(t, 3, "--silent-after", "3s")
	c.addDealer("D-017", "606")
	agent := c.startAgent("D-017")
	state := func() string {
		var out struct{ Agents []struct{ State string } }
		_ = json.Unmarshal([]byte(run(t, "touchpoint-hub", "agent", "list", "--json", "--addr", c.nodes[1].http)), &out)
		if len(out.Agents) != 1 {
			return "missing"
		}
		return out.Agents[0].State
	}
	eventually(t, 20*time.Second, "agent ok", func() error {
		if s := state(); s != "ok" {
			return fmt.Errorf("state %s", s)
		}
		return nil
	})
	agent.kill()
	eventually(t, 20*time.Second, "agent silent", func() error {
		if s := state(); s != "silent" {
			return fmt.Errorf("state %s", s)
		}
		return nil
	})
	page := ""
	if err := callText(c.nodes[2].url("/"), &page); err != nil || !strings.Contains(page, "1 silent") || !strings.Contains(page, "D-017") {
		t.Fatalf("fleet page does not show the silent agent (err %v):\n%s", err, page)
	}
}

// After losing two of three nodes for good, the survivor restarted with
// --recover-peers leads alone and keeps every committed event.
func TestOps_LostQuorumRecovery(t *testing.T) {
	c := startCluster(t, 3)
	events := webEvents("quorum", 10)
	c.postEvents(c.nodes[0], events...)
	for _, n := range c.nodes[1:] {
		eventually(t, 30*time.Second, n.id+" replicated", func() error { return checkAll(n, events) })
	}
	survivor := c.nodes[0]
	for _, n := range c.nodes {
		n.kill()
	}
	survivor.args = append(survivor.args, "--recover-peers", survivor.id+"="+survivor.raft)
	survivor.start()
	c.waitReady(survivor, 1)
	if err := checkAll(survivor, events); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	more := webEvents("after", 3)
	if got := c.postEvents(survivor, more...); got[0] != "created" {
		t.Fatalf("write after recovery: %v", got)
	}
}
