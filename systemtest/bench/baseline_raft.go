package main

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"

	"github.com/touchpoint/touchpoint/hub/raftlog"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// noopFSM applies nothing: the raw Raft ceiling.
type noopFSM struct{}

func (noopFSM) Apply(*raft.Log) any                 { return nil }
func (noopFSM) Snapshot() (raft.FSMSnapshot, error) { return noopSnapshot{}, nil }
func (noopFSM) Restore(r io.ReadCloser) error       { return r.Close() }

type noopSnapshot struct{}

func (noopSnapshot) Persist(sink raft.SnapshotSink) error { return sink.Close() }
func (noopSnapshot) Release()                             {}

// rawRaft is a 3-node hashicorp/raft cluster in this process on loopback
// TCP, each node on its own Raft log store (hub/raftlog, as the hub),
// configured as the hub's store configures Raft (hub/store/store.go
// raftConfig).
type rawRaft struct {
	nodes []*raft.Raft
	logs  []*raftlog.Store
	trans []*raft.NetworkTransport
}

func startRawRaft(dir string) (*rawRaft, error) {
	r := &rawRaft{}
	var servers []raft.Server
	hlog := hclog.New(&hclog.LoggerOptions{Name: "raw-raft", Level: hclog.Error, Output: io.Discard})
	for i := range 3 {
		nodeDir := filepath.Join(dir, fmt.Sprintf("raw-raft-%d", i))
		logs, err := raftlog.Open(filepath.Join(nodeDir, "log"), slog.New(slog.DiscardHandler))
		if err != nil {
			return nil, fmt.Errorf("open raw raft log: %w", err)
		}
		r.logs = append(r.logs, logs)
		snaps, err := raft.NewFileSnapshotStoreWithLogger(nodeDir, 2, hlog)
		if err != nil {
			return nil, err
		}
		trans, err := raft.NewTCPTransportWithLogger("127.0.0.1:0", nil, 3, 10*time.Second, hlog)
		if err != nil {
			return nil, err
		}
		r.trans = append(r.trans, trans)
		conf := raft.DefaultConfig()
		conf.LocalID = raft.ServerID(fmt.Sprintf("raw%d", i))
		conf.Logger = hlog
		conf.HeartbeatTimeout, conf.ElectionTimeout, conf.LeaderLeaseTimeout = 500*time.Millisecond, 500*time.Millisecond, 250*time.Millisecond
		conf.SnapshotThreshold, conf.TrailingLogs = 8192, 10240
		node, err := raft.NewRaft(conf, noopFSM{}, logs, logs, snaps, trans)
		if err != nil {
			return nil, err
		}
		r.nodes = append(r.nodes, node)
		servers = append(servers, raft.Server{ID: conf.LocalID, Address: trans.LocalAddr()})
	}
	if err := r.nodes[0].BootstrapCluster(raft.Configuration{Servers: servers}).Error(); err != nil {
		return nil, err
	}
	return r, proc.WaitFor(30*time.Second, "raw raft leader", func() error {
		if r.nodes[0].State() != raft.Leader {
			return fmt.Errorf("node 0 is %s", r.nodes[0].State())
		}
		return nil
	})
}

func (r *rawRaft) close() {
	for _, n := range r.nodes {
		_ = n.Shutdown().Error()
	}
	for _, l := range r.logs {
		_ = l.Close()
	}
}

// commits applies entries of batch values of eventSize bytes from
// writers goroutines for d, and returns values committed per second,
// the latency of each Apply and how many failed (a leader change on a
// loaded machine; the writer then retries at the new leader).
func (r *rawRaft) commits(batch, writers int, d time.Duration) (float64, *latencies, int64) {
	data := make([]byte, batch*eventSize)
	var done, failed atomic.Int64
	var lat latencies
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				begin := time.Now()
				if r.leader().Apply(data, 10*time.Second).Error() != nil {
					failed.Add(1)
					time.Sleep(10 * time.Millisecond)
					continue
				}
				lat.add(time.Since(begin))
				done.Add(int64(batch))
			}
		}()
	}
	wg.Wait()
	return float64(done.Load()) / d.Seconds(), &lat, failed.Load()
}

// leader is the node that leads now, or the first when none does.
func (r *rawRaft) leader() *raft.Raft {
	for _, n := range r.nodes {
		if n.State() == raft.Leader {
			return n
		}
	}
	return r.nodes[0]
}
