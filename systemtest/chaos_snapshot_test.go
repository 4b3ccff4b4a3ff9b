package systemtest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The snapshot scenario's Raft log: a snapshot every 64 entries that
// keeps 64 behind it, so a follower down for a few hundred entries is
// past the leader's log and can only catch up from a snapshot.
const snapThreshold, snapTrailing = 64, 64

// chaosSnapshotCatchUp kills a follower with SIGKILL, writes events at
// the hub and through agents until the live nodes have compacted their
// logs past the follower's last entry, restarts it, and checks that it
// installs a snapshot and then holds every acknowledged event once.
func chaosSnapshotCatchUp(t *testing.T, size chaosSize, seed uint64) chaosRow {
	c := startCluster(t, 3, "--snapshot-threshold", strconv.Itoa(snapThreshold), "--trailing-logs", strconv.Itoa(snapTrailing))
	r := &chaosRig{t: t, c: c, h: newHistory(), size: size, seed: seed}
	for _, d := range []string{"S-1", "S-2"} {
		r.addAgent(d)
	}
	rng := newRand(seed, 70)
	installed, rebuilt, events := 0, 0, 0
	var waited time.Duration
	for cycle := range size.snapCycles {
		leader := r.c.leader()
		f := r.c.nodes[(indexOf(r.c.nodes, leader)+1+rng.IntN(2))%3]
		f.kill()
		last, n := r.writeEntries(f, cycle)
		events += n
		start := time.Now()
		r.waitCompacted(f, last)
		waited += time.Since(start)
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
	cycles := max(size.snapCycles, 1)
	return chaosRow{cycles: size.snapCycles, v: v, converge: conv,
		note: fmt.Sprintf("log %d/%d; %d of %d restarted followers installed a snapshot (%d rebuilt after the raft-wal panic); ~%d events per cycle; logs compacted %s after the writes on average",
			snapThreshold, snapTrailing, installed, size.snapCycles, rebuilt, events/cycles, (waited / time.Duration(cycles)).Round(time.Second))}
}

func indexOf(nodes []*hubNode, n *hubNode) int {
	for i, m := range nodes {
		if m == n {
			return i
		}
	}
	return 0
}

// writeEntries writes events through the agents and the live hub nodes
// until the Raft log has grown by snapEntries since dead went down. It
// returns an index at or past dead's last log entry, and how many events
// it sent.
func (r *chaosRig) writeEntries(dead *hubNode, cycle int) (last uint64, sent int) {
	t := r.t
	t.Helper()
	var live []*hubNode
	for _, n := range r.c.nodes {
		if n != dead {
			live = append(live, n)
		}
	}
	// Entries in flight when dead was killed may have reached its log.
	base := r.raftNumber(live, "touchpoint_raft_commit_index")
	last = base + 32
	const customers, perLoop = 200, 100
	for round := 0; round < 200; round++ {
		if r.raftNumber(live, "touchpoint_raft_commit_index") >= base+uint64(r.size.snapEntries) {
			break
		}
		w := newWorkload(r.h, 0)
		w.tag = fmt.Sprintf("-s%dr%d", cycle, round)
		for i, a := range r.agents {
			w.recordAt(a, customers, perLoop, 5, newRand(r.seed, uint64(1000*cycle+10*round+i)))
		}
		w.postAtHub(&hubCluster{t: t, nodes: live}, customers, perLoop, 5, newRand(r.seed, uint64(1000*cycle+10*round+9)))
		w.finish()
		sent += perLoop * (len(r.agents) + 1)
	}
	return last, sent
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

// waitCompacted waits until every live node has taken a snapshot more
// than snapTrailing entries past last: their logs then start after it.
// Raft checks the threshold every 2 to 4 minutes (SnapshotInterval).
func (r *chaosRig) waitCompacted(dead *hubNode, last uint64) {
	eventually(r.t, 6*time.Minute, "live nodes compacted past "+dead.id+"'s log", func() error {
		for _, n := range r.c.nodes {
			if n == dead {
				continue
			}
			snap, err := raftMetric(n, "touchpoint_raft_last_snapshot_index")
			if err != nil {
				return err
			}
			if snap <= last+snapTrailing {
				return fmt.Errorf("%s: last snapshot at %d, want past %d", n.id, snap, last+snapTrailing)
			}
		}
		return nil
	})
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
