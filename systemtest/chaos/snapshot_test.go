package chaos

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// The snapshot scenario's Raft log: a snapshot every 64 entries that
// keeps 64 behind it, so a follower killed for a few hundred entries
// finds the live nodes' logs starting after its last entry.
const snapThreshold, snapTrailing = 64, 64

// chaosSnapshotCatchUp kills a follower with SIGKILL, writes events
// through agents and the hub until the live nodes have deleted the part
// of their Raft log the follower lacks, restarts it, and checks that it
// installs a snapshot and then holds every acknowledged event once
// (queried on the follower itself, like every node).
func chaosSnapshotCatchUp(t *testing.T, size chaosSize, seed uint64) chaosRow {
	c := systemtest.StartCluster(t, 3, "--snapshot-threshold", strconv.Itoa(snapThreshold), "--trailing-logs", strconv.Itoa(snapTrailing),
		"--snapshot-interval", "3s") // Raft checks the threshold every 3–6 s, not 2–4 min
	r := &chaosRig{t: t, c: c, h: newHistory(), size: size, seed: seed}
	for _, d := range []string{"S-1", "S-2"} {
		r.addAgent(d)
	}
	bulk := newHistory() // large events outside the agents' market: checked at the hub
	rng := newRand(seed, 70)
	installed, rebuilt := 0, 0
	var waited time.Duration
	var proof []string
	for cycle := range size.snapCycles {
		leader := r.c.Leader()
		f := r.c.Nodes[(indexOf(r.c.Nodes, leader)+1+rng.IntN(2))%3]
		f.Kill()
		last := r.writePastLog(f, bulk, cycle)
		start := time.Now()
		oldest := r.waitLogDropped(f, last)
		waited += time.Since(start)
		proof = append(proof, fmt.Sprintf("%s last ≤%d, live logs from %d", f.ID, last, oldest))
		f.MustStart(t)
		err := r.nodeReady(f)
		if err != nil && strings.Contains(f.ReadLog(), raftLogUnreadable) {
			err = r.rebuildNode(f) // see chaosLeaderKills
			rebuilt++
		}
		if err != nil {
			t.Errorf("cycle %d: %s did not come back after kill -9: %v", cycle+1, f.ID, err)
			break
		}
		if err := r.waitSnapshotInstalled(f); err != nil {
			t.Errorf("cycle %d: %v", cycle+1, err)
			continue
		}
		installed++
	}
	v, conv := r.converge(time.Now())
	bv := r.checkAtHub(bulk)
	v.acked, v.lost, v.duplicated = v.acked+bv.acked, v.lost+bv.lost, v.duplicated+bv.duplicated
	v.problems = append(v.problems, bv.problems...)
	cycles := max(size.snapCycles, 1)
	return chaosRow{cycles: size.snapCycles, v: v, converge: conv,
		note: fmt.Sprintf("log %d/%d; %d of %d restarted followers installed a snapshot (%d rebuilt after an unreadable Raft log); %d events outside the agents' market (19 KB each); logs dropped %s after the writes on average; %s",
			snapThreshold, snapTrailing, installed, size.snapCycles, rebuilt, bv.acked, (waited / time.Duration(cycles)).Round(time.Second), strings.Join(proof, "; "))}
}

func indexOf(nodes []*proc.HubNode, n *proc.HubNode) int {
	for i, m := range nodes {
		if m == n {
			return i
		}
	}
	return 0
}

func liveNodes(c *systemtest.Cluster, dead *proc.HubNode) []*proc.HubNode {
	var live []*proc.HubNode
	for _, n := range c.Nodes {
		if n != dead {
			live = append(live, n)
		}
	}
	return live
}

// writePastLog records events at the agents and posts them at the hub,
// and posts large events one per request, until every live node's Raft
// log starts after dead's last entry. It returns an index at or past
// dead's last entry.
func (r *chaosRig) writePastLog(dead *proc.HubNode, bulk *history, cycle int) uint64 {
	t := r.t
	t.Helper()
	live := liveNodes(r.c, dead)
	// Entries in flight when dead was killed may have reached its log.
	last := r.raftNumber(live, "touchpoint_raft_commit_index") + 32
	const small = 500 // per agent and at the hub
	w := newWorkload(r.h, 20*time.Millisecond)
	w.tag = fmt.Sprintf("-s%d", cycle)
	for i, a := range r.agents {
		w.recordAt(a, 200, small, 5, newRand(r.seed, uint64(100*cycle+i)))
	}
	w.postAtHub(&systemtest.Cluster{Nodes: live}, 200, small, 5, newRand(r.seed, uint64(100*cycle+9)))
	big := newWorkload(bulk, 0)
	rng := newRand(r.seed, uint64(100*cycle+50))
	maxPosts := 20 * (snapTrailing + snapThreshold)
	for n := 0; n < maxPosts && (n%10 != 0 || r.logStart(live) <= last); n++ {
		e := bulkEvent(fmt.Sprintf("bulk-s%d-%06d", cycle, n), true, rng)
		big.sendUntilAcked("hub", live[n%len(live)].URL("/v1/events"), []customer.Event{e})
	}
	big.wait()
	w.finish()
	return last
}

// logStart is the lowest of nodes' first Raft log indexes: every one of
// them has dropped the entries before it.
func (r *chaosRig) logStart(nodes []*proc.HubNode) uint64 {
	start := uint64(math.MaxUint64)
	for _, n := range nodes {
		first, err := raftMetric(n, "touchpoint_raft_first_log_index")
		if err != nil {
			return 0
		}
		start = min(start, first)
	}
	return start
}

// bulkEvent is an event for a customer outside the agents' market;
// large, it is about 19 KB (the longest note and 30 long attributes).
func bulkEvent(id string, large bool, rng *rand.Rand) customer.Event {
	// +1 212 555 0000 to 4999: valid US numbers, so each is a join key.
	e := systemtest.NewEvent(id, "web:bulk.example", "page_view", fmt.Sprintf("+1212555%04d", rng.IntN(5000)), time.Now())
	e.Channel = "web"
	e.Customer.Address = &customer.Address{PostalCode: "10001", Country: "US"}
	if !large {
		return e
	}
	e.Note = strings.Repeat("n", customer.MaxNoteLen)
	e.Attributes = map[string]string{}
	for i := range 30 {
		e.Attributes[fmt.Sprintf("pad%02d", i)] = strings.Repeat(string(rune('a'+i%26)), customer.MaxAttrValueLen)
	}
	return e
}

// waitLogDropped waits until every live node's Raft log starts after
// last (Raft checks the snapshot threshold every few seconds), and returns
// the highest such start.
func (r *chaosRig) waitLogDropped(dead *proc.HubNode, last uint64) uint64 {
	var oldest uint64
	systemtest.Eventually(r.t, 6*time.Minute, "live nodes' Raft logs dropped past "+dead.ID+"'s last entry", func() error {
		oldest = 0
		for _, n := range liveNodes(r.c, dead) {
			first, err := raftMetric(n, "touchpoint_raft_first_log_index")
			if err != nil {
				return err
			}
			if first <= last {
				return fmt.Errorf("%s: log still starts at %d, want past %d", n.ID, first, last)
			}
			oldest = max(oldest, first)
		}
		return nil
	})
	return oldest
}

// raftNumber reads a Raft metric from the first of nodes that answers.
func (r *chaosRig) raftNumber(nodes []*proc.HubNode, name string) uint64 {
	r.t.Helper()
	var v uint64
	systemtest.Eventually(r.t, 30*time.Second, name, func() error {
		var err error
		for _, n := range nodes {
			if v, err = raftMetric(n, name); err == nil {
				return nil
			}
		}
		return err
	})
	return v
}

// waitSnapshotInstalled waits until n reports a snapshot restored since
// it started.
func (r *chaosRig) waitSnapshotInstalled(n *proc.HubNode) error {
	return pollUntil(2*time.Minute, func() error {
		restores, err := raftMetric(n, "touchpoint_raft_snapshot_restores")
		if err == nil && restores == 0 {
			err = fmt.Errorf("%s caught up without installing a snapshot (touchpoint_raft_snapshot_restores 0)", n.ID)
		}
		return err
	})
}

// checkAtHub checks a history whose customers no agent holds against
// every hub node.
func (r *chaosRig) checkAtHub(h *history) verdict {
	var views []replicaView
	for _, n := range r.c.Nodes {
		v, err := readReplica(n.ID, h.customerPhones(), func(p string) ([]customer.Profile, error) { return systemtest.Search(n.URL(""), "phone", p) })
		if err != nil {
			r.t.Errorf("read %s: %v", n.ID, err)
		}
		views = append(views, v)
	}
	return h.check(views, nil)
}

// raftMetric reads one unlabelled metric from n's /metrics.
func raftMetric(n *proc.HubNode, name string) (uint64, error) {
	var text string
	if err := systemtest.CallText(n.URL("/metrics"), &text); err != nil {
		return 0, err
	}
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return uint64(f), err
		}
	}
	return 0, fmt.Errorf("%s: no %s in /metrics", n.ID, name)
}
