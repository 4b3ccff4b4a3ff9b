package systemtest

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// The snapshot scenario's Raft log: a snapshot every 64 entries that
// keeps 64 behind it. raft-wal drops log entries a whole segment (64 MiB)
// at a time and still serves compacted entries from its open segment, so
// a follower needs a snapshot only once the live nodes have sealed and
// deleted the segment holding its last entry: the scenario writes past a
// segment with large events at the hub.
const (
	snapThreshold, snapTrailing = 64, 64
	walSegmentBytes             = 64 << 20 // raft-wal's DefaultSegmentSize
)

// chaosSnapshotCatchUp kills a follower with SIGKILL, writes events
// through agents and the hub until the live nodes have deleted the part
// of their Raft log the follower lacks, restarts it, and checks that it
// installs a snapshot and then holds every acknowledged event once
// (queried on the follower itself, like every node).
func chaosSnapshotCatchUp(t *testing.T, size chaosSize, seed uint64) chaosRow {
	c := startCluster(t, 3, "--snapshot-threshold", strconv.Itoa(snapThreshold), "--trailing-logs", strconv.Itoa(snapTrailing),
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
		leader := r.c.leader()
		f := r.c.nodes[(indexOf(r.c.nodes, leader)+1+rng.IntN(2))%3]
		f.kill()
		last := r.writePastSegment(f, bulk, cycle)
		start := time.Now()
		oldest := r.waitLogDropped(f, last)
		waited += time.Since(start)
		proof = append(proof, fmt.Sprintf("%s last ≤%d, live logs from %d", f.id, last, oldest))
		f.start()
		err := r.nodeReady(f)
		if err != nil && strings.Contains(readLog(f.proc), raftWALRestartPanic) {
			err = r.rebuildNode(f) // see chaosLeaderKills
			rebuilt++
		}
		if err != nil {
			t.Errorf("cycle %d: %s did not come back after kill -9: %v", cycle+1, f.id, err)
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
		note: fmt.Sprintf("log %d/%d; %d of %d restarted followers installed a snapshot (%d rebuilt after the raft-wal panic); %d events outside the agents' market (most 19 KB); logs dropped %s after the writes on average; %s",
			snapThreshold, snapTrailing, installed, size.snapCycles, rebuilt, bv.acked, (waited / time.Duration(cycles)).Round(time.Second), strings.Join(proof, "; "))}
}

func indexOf(nodes []*hubNode, n *hubNode) int {
	for i, m := range nodes {
		if m == n {
			return i
		}
	}
	return 0
}

func liveNodes(c *hubCluster, dead *hubNode) []*hubNode {
	var live []*hubNode
	for _, n := range c.nodes {
		if n != dead {
			live = append(live, n)
		}
	}
	return live
}

// writePastSegment records events at the agents and posts them at the
// hub, and posts large events until every live node has started a Raft
// log segment after dead's last entry and written enough past it for a
// snapshot to drop the segment before. It returns an index at or past
// dead's last entry.
func (r *chaosRig) writePastSegment(dead *hubNode, bulk *history, cycle int) uint64 {
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
	w.postAtHub(&hubCluster{t: t, nodes: live}, 200, small, 5, newRand(r.seed, uint64(100*cycle+9)))
	big := newWorkload(bulk, 0)
	rng := newRand(r.seed, uint64(100*cycle+50))
	// Large batches until a new segment starts, then one small event per
	// entry until a snapshot may drop the segment before it.
	const batch = 45 // about 0.9 MB, under the ingest API's 1 MiB body
	maxPosts := 2*walSegmentBytes/(batch*19_000) + 20*(snapTrailing+snapThreshold)
	for n := 0; n < maxPosts; n++ {
		started, enough := r.segmentPast(live, last)
		if enough {
			break
		}
		events := make([]customer.Event, 1, batch)
		events[0] = bulkEvent(fmt.Sprintf("bulk-s%d-%06d", cycle, n*batch), !started, rng)
		for i := 1; !started && i < batch; i++ {
			events = append(events, bulkEvent(fmt.Sprintf("bulk-s%d-%06d", cycle, n*batch+i), true, rng))
		}
		big.sendUntilAcked("hub", live[n%len(live)].url("/v1/events"), events)
	}
	big.wait()
	w.finish()
	return last
}

// bulkEvent is an event for a customer outside the agents' market;
// large, it is about 19 KB (the longest note and 30 long attributes).
func bulkEvent(id string, large bool, rng *rand.Rand) customer.Event {
	// Below 5555: +1 212 555 5555 is a placeholder number, never an
	// identifier, so its events could not be found by phone.
	e := event(id, "web:bulk.example", "page_view", fmt.Sprintf("+1212555%04d", rng.IntN(5000)), time.Now())
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

// segmentPast reports whether every node has started a Raft log segment
// after last, and whether enough entries followed for a snapshot to drop
// all segments before it.
func (r *chaosRig) segmentPast(nodes []*hubNode, last uint64) (started, enough bool) {
	commit := r.raftNumber(nodes, "touchpoint_raft_commit_index")
	started, enough = true, true
	for _, n := range nodes {
		bases := walSegments(n)
		newest := uint64(0)
		if len(bases) > 0 {
			newest = bases[len(bases)-1]
		}
		if newest <= last+1 {
			return false, false
		}
		enough = enough && commit >= newest+snapTrailing+snapThreshold
	}
	return started, enough
}

// walSegments lists the first index of each of n's raft-wal segment
// files, oldest first (the files are named by it).
func walSegments(n *hubNode) []uint64 {
	files, _ := filepath.Glob(filepath.Join(n.dir, "raft", "wal", "*.wal"))
	var bases []uint64
	for _, f := range files {
		num, _, _ := strings.Cut(filepath.Base(f), "-")
		if b, err := strconv.ParseUint(num, 10, 64); err == nil {
			bases = append(bases, b)
		}
	}
	return bases // Glob sorts; the names are zero-padded
}

// waitLogDropped waits until every live node's oldest log segment starts
// after last (Raft checks the snapshot threshold every 2 to 4 minutes),
// and returns the highest such start.
func (r *chaosRig) waitLogDropped(dead *hubNode, last uint64) uint64 {
	var oldest uint64
	eventually(r.t, 6*time.Minute, "live nodes' Raft logs dropped past "+dead.id+"'s last entry", func() error {
		oldest = 0
		for _, n := range liveNodes(r.c, dead) {
			bases := walSegments(n)
			if len(bases) == 0 {
				return fmt.Errorf("%s: no log segments in %s", n.id, filepath.Join(n.dir, "raft", "wal"))
			}
			if bases[0] <= last {
				return fmt.Errorf("%s: log still starts at %d, want past %d", n.id, bases[0], last)
			}
			oldest = max(oldest, bases[0])
		}
		return nil
	})
	return oldest
}

// raftNumber reads a Raft metric from the first of nodes that answers.
func (r *chaosRig) raftNumber(nodes []*hubNode, name string) uint64 {
	r.t.Helper()
	var v uint64
	eventually(r.t, 30*time.Second, name, func() error {
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
func (r *chaosRig) waitSnapshotInstalled(n *hubNode) error {
	return pollUntil(2*time.Minute, func() error {
		restores, err := raftMetric(n, "touchpoint_raft_snapshot_restores")
		if err == nil && restores == 0 {
			err = fmt.Errorf("%s caught up without installing a snapshot (touchpoint_raft_snapshot_restores 0)", n.id)
		}
		return err
	})
}

// checkAtHub checks a history whose customers no agent holds against
// every hub node.
func (r *chaosRig) checkAtHub(h *history) verdict {
	var views []replicaView
	for _, n := range r.c.nodes {
		v, err := readReplica(n.id, h.customerPhones(), func(p string) ([]customer.Profile, error) { return search(n.url(""), "phone", p) })
		if err != nil {
			r.t.Errorf("read %s: %v", n.id, err)
		}
		views = append(views, v)
	}
	return h.check(views, nil)
}

// raftMetric reads one unlabelled metric from n's /metrics.
func raftMetric(n *hubNode, name string) (uint64, error) {
	var text string
	if err := callText(n.url("/metrics"), &text); err != nil {
		return 0, err
	}
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return uint64(f), err
		}
	}
	return 0, fmt.Errorf("%s: no %s in /metrics", n.id, name)
}
