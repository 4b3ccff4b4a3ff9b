package raftlog

import (
	"encoding/binary"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
)

// Raft runs on a fresh Store, compacts it after a snapshot, and picks up
// where it left off after a restart on the same directory.
func TestRaft_RunsCompactsAndRestarts(t *testing.T) {
	dir, snaps := t.TempDir(), raft.NewInmemSnapshotStore()
	s := mustOpen(t, dir)
	conf := raftConfig()
	r, fsm := startRaft(t, conf, s, snaps, true)
	mustApply(t, r, 50)
	if err := r.Snapshot().Error(); err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	first, _ := s.FirstIndex()
	last, _ := s.LastIndex()
	if want := last - conf.TrailingLogs + 1; first != want {
		t.Fatalf("after compaction first index = %d, want %d (last %d)", first, want, last)
	}
	if err := r.Shutdown().Error(); err != nil {
		t.Fatal(err)
	}
	applied := fsm.count()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = mustOpen(t, dir)
	wantBounds(t, s, first, last)
	if has, err := raft.HasExistingState(s, s, snaps); err != nil || !has {
		t.Fatalf("HasExistingState = %v, %v; want true", has, err)
	}
	r, fsm = startRaft(t, conf, s, snaps, false)
	mustApply(t, r, 1)
	if got := fsm.count(); got != applied+1 {
		t.Fatalf("after restart the FSM holds %d commands, want %d", got, applied+1)
	}
	if term, err := s.GetUint64([]byte("CurrentTerm")); err != nil || term < 2 {
		t.Fatalf("CurrentTerm = %d, %v; want a new term after the restart", term, err)
	}
}

func raftConfig() *raft.Config {
	conf := raft.DefaultConfig()
	conf.LocalID = "n1"
	conf.HeartbeatTimeout = 50 * time.Millisecond
	conf.ElectionTimeout = 50 * time.Millisecond
	conf.LeaderLeaseTimeout = 50 * time.Millisecond
	conf.CommitTimeout = 5 * time.Millisecond
	conf.SnapshotInterval = time.Hour // snapshots only when the test asks
	conf.TrailingLogs = 5
	conf.Logger = hclog.NewNullLogger()
	return conf
}

// startRaft starts a single-node Raft on s, bootstrapping it if asked, and
// waits until it leads.
func startRaft(t *testing.T, conf *raft.Config, s *Store, snaps raft.SnapshotStore, bootstrap bool) (*raft.Raft, *countFSM) {
	t.Helper()
	_, trans := raft.NewInmemTransport(raft.ServerAddress(conf.LocalID))
	if bootstrap {
		cfg := raft.Configuration{Servers: []raft.Server{{ID: conf.LocalID, Address: trans.LocalAddr()}}}
		if err := raft.BootstrapCluster(conf, s, s, snaps, trans, cfg); err != nil {
			t.Fatalf("bootstrap: %v", err)
		}
	}
	fsm := &countFSM{}
	r, err := raft.NewRaft(conf, fsm, s, s, snaps, trans)
	if err != nil {
		t.Fatalf("new raft: %v", err)
	}
	t.Cleanup(func() { _ = r.Shutdown().Error() })
	eventually(t, 10*time.Second, "a leader", func() bool { return r.State() == raft.Leader })
	return r, fsm
}

func mustApply(t *testing.T, r *raft.Raft, n int) {
	t.Helper()
	for range n {
		if err := r.Apply([]byte("+1"), 5*time.Second).Error(); err != nil {
			t.Fatalf("apply: %v", err)
		}
	}
}

// countFSM counts the commands applied to it.
type countFSM struct {
	mu sync.Mutex
	n  uint64
}

func (f *countFSM) Apply(*raft.Log) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	return nil
}

func (f *countFSM) count() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func (f *countFSM) Snapshot() (raft.FSMSnapshot, error) { return countSnapshot(f.count()), nil }

func (f *countFSM) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	var b [8]byte
	if _, err := io.ReadFull(rc, b[:]); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n = binary.BigEndian.Uint64(b[:])
	return nil
}

type countSnapshot uint64

func (c countSnapshot) Persist(sink raft.SnapshotSink) error {
	if _, err := sink.Write(binary.BigEndian.AppendUint64(nil, uint64(c))); err != nil {
		_ = sink.Cancel()
		return err
	}
	return sink.Close()
}

func (countSnapshot) Release() {}
