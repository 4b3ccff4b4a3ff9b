package store

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	"github.com/touchpoint/touchpoint/hub/cluster"
	"github.com/touchpoint/touchpoint/hub/raftlog"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/hub/state/badgerkv"
	"github.com/touchpoint/touchpoint/hub/walmigrate"
)

// Config says where a node keeps its data and how it is reached.
type Config struct {
	NodeID    string
	DataDir   string
	RaftAddr  string // TCP, hub-to-hub
	HTTPAddr  string // host:port of this node's HTTP API
	AgentAddr string // UDP, QUIC for agents
	Region    string // default region for phone numbers
	Bootstrap bool
	Logger    *slog.Logger
	// MaxPerKind limits identifiers of one kind per profile (merge
	// protection); 0 means DefaultMaxPerKind.
	MaxPerKind int
	// SharedLimit is how many people may share an e-mail or phone before
	// it joins and links nobody; 0 means state.DefaultSharedLimit.
	SharedLimit int
	// BlockedIdentifiers never join people ("phone:+13125550100").
	BlockedIdentifiers []string
	// RecoverPeers, when set, forces the Raft configuration to these
	// voters before starting: the lost-quorum recovery (see
	// docs/operations.md).
	RecoverPeers []Peer
	// OnCommit, when set, is told how long each local proposal took to
	// commit and apply.
	OnCommit func(time.Duration)
	// RaftLogOutput receives Raft's own warnings and errors; nil means
	// standard error.
	RaftLogOutput io.Writer
	// HTTPTLS says the nodes serve their HTTP API over TLS (serve
	// --http-tls), so node-to-node calls use https.
	HTTPTLS bool
	// SnapshotThreshold is how many Raft entries pass between automatic
	// snapshots; 0 means DefaultSnapshotThreshold.
	SnapshotThreshold uint64
	// TrailingLogs is how many entries a snapshot leaves in the log; 0
	// means DefaultTrailingLogs.
	TrailingLogs uint64
	// SnapshotInterval is how often Raft checks SnapshotThreshold; 0
	// means DefaultSnapshotInterval.
	SnapshotInterval time.Duration
}

// Store is one hub node: Raft around the customer graph. Reads
// (profiles, searches, the change feed, the registry) come straight from
// the embedded state, as this node has applied it.
type Store struct {
	*state.State
	cfg       Config
	log       *slog.Logger
	raft      *raft.Raft
	db        *badgerkv.DB
	raftLog   *raftlog.Store
	raftLogGC *periodic
	transport *raft.NetworkTransport
	member    *cluster.Member
	ingest    *groupCommitter
	nudge     *nudger
}

// Open starts the node. A node with existing Raft state rejoins its
// cluster; with Bootstrap and no state it founds a one-node cluster.
func Open(cfg Config) (*Store, error) {
	s := &Store{cfg: cfg, log: cfg.Logger.With("component", "store")}
	if err := s.openState(); err != nil {
		return nil, err
	}
	if err := s.openRaft(); err != nil {
		_ = s.closeRaft()
		s.db.Close()
		return nil, err
	}
	s.ingest = newGroupCommitter(state.IngestBody{MaxPerKind: cfg.MaxPerKind, SharedLimit: cfg.SharedLimit}, s.applyIngest)
	s.nudge = newNudger(s.raft)
	s.member.EnsureCert()
	s.raftLogGC = startEvery(raftLogGCInterval, s.collectRaftLog)
	return s, nil
}

func (s *Store) openState() error {
	dir := filepath.Join(s.cfg.DataDir, "fsm")
	db, err := badgerkv.Open(dir, s.log)
	if err != nil {
		return fmt.Errorf("open fsm state: %w", err)
	}
	s.db = db
	s.State = state.New(db, s.cfg.Region)
	return nil
}

func (s *Store) openRaft() error {
	dir := filepath.Join(s.cfg.DataDir, "raft")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create raft dir: %w", err)
	}
	logs, err := walmigrate.Open(dir, s.log)
	if err != nil {
		return err
	}
	s.raftLog = logs
	out := s.cfg.RaftLogOutput
	if out == nil {
		out = os.Stderr
	}
	hlog := hclog.New(&hclog.LoggerOptions{Name: "raft", Level: hclog.Warn, Output: out})
	snaps, err := raft.NewFileSnapshotStoreWithLogger(dir, 2, hlog)
	if err != nil {
		return fmt.Errorf("open snapshot store: %w", err)
	}
	addr, err := net.ResolveTCPAddr("tcp", s.cfg.RaftAddr)
	if err != nil {
		return fmt.Errorf("resolve raft address %q: %w", s.cfg.RaftAddr, err)
	}
	s.member = cluster.NewMember(cluster.Config{
		NodeID: s.cfg.NodeID, DataDir: s.cfg.DataDir, HTTPTLS: s.cfg.HTTPTLS, Secrets: s.State, Logger: s.cfg.Logger,
	})
	layer, err := s.member.StreamLayer(s.cfg.RaftAddr, addr)
	if err != nil {
		return fmt.Errorf("listen for raft on %s: %w", s.cfg.RaftAddr, err)
	}
	s.transport = raft.NewNetworkTransportWithLogger(layer, 3, 10*time.Second, hlog)
	conf := s.raftConfig(hlog, snaps)
	if len(s.cfg.RecoverPeers) > 0 {
		if err := s.recover(conf, logs, snaps); err != nil {
			return err
		}
	}
	s.raft, err = newRaft(conf, &fsm{state: s.State, log: s.log}, logs, logs, snaps, s.transport)
	if err != nil {
		return fmt.Errorf("start raft: %w", err)
	}
	return s.maybeBootstrap(logs, snaps)
}

// raftConfig tunes Raft for a LAN cluster. The FSM is persistent, so a
// restart replays only entries after its applied index; a snapshot is
// restored on start only when the FSM lost writes the snapshot covers.
func (s *Store) raftConfig(hlog hclog.Logger, snaps raft.SnapshotStore) *raft.Config {
	conf := raft.DefaultConfig()
	conf.LocalID = raft.ServerID(s.cfg.NodeID)
	conf.Logger = hlog
	conf.HeartbeatTimeout = 500 * time.Millisecond
	conf.ElectionTimeout = 500 * time.Millisecond
	conf.LeaderLeaseTimeout = 250 * time.Millisecond
	conf.SnapshotThreshold = orDefault(s.cfg.SnapshotThreshold, DefaultSnapshotThreshold)
	conf.TrailingLogs = orDefault(s.cfg.TrailingLogs, DefaultTrailingLogs)
	conf.SnapshotInterval = cmp.Or(s.cfg.SnapshotInterval, DefaultSnapshotInterval)
	conf.NoSnapshotRestoreOnStart = true
	if list, err := snaps.List(); err == nil && len(list) > 0 && list[0].Index > s.AppliedIndex() {
		s.log.Warn("fsm state is behind the latest snapshot; restoring it", "snapshot_index", list[0].Index)
		conf.NoSnapshotRestoreOnStart = false
	}
	return conf
}

func (s *Store) maybeBootstrap(logs *raftlog.Store, snaps raft.SnapshotStore) error {
	if !s.cfg.Bootstrap {
		return nil
	}
	has, err := raft.HasExistingState(logs, logs, snaps)
	if err != nil || has {
		return err
	}
	cfg := raft.Configuration{Servers: []raft.Server{{
		ID: raft.ServerID(s.cfg.NodeID), Address: s.transport.LocalAddr(),
	}}}
	if err := s.raft.BootstrapCluster(cfg).Error(); err != nil {
		return fmt.Errorf("bootstrap cluster: %w", err)
	}
	s.log.Info("bootstrapped a new cluster", "node", s.cfg.NodeID)
	return nil
}

// Close stops Raft and closes the state.
func (s *Store) Close() error {
	if s.ingest != nil {
		s.ingest.close()
		s.nudge.close()
		s.raftLogGC.stop()
	}
	err := s.closeRaft()
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	return err
}

// closeRaft stops whatever openRaft started: Raft (and with it the
// transport), then the log.
func (s *Store) closeRaft() error {
	var err error
	switch {
	case s.raft != nil:
		err = s.raft.Shutdown().Error()
	case s.transport != nil:
		err = s.transport.Close()
	}
	if s.raftLog != nil {
		if cerr := s.raftLog.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// TakeSnapshot makes Raft take a snapshot of the state now, as it does on its
// own every SnapshotThreshold entries, and waits until it is stored. It
// fails with raft.ErrNothingNewToSnapshot when nothing was applied since
// the last one.
func (s *Store) TakeSnapshot() error {
	if err := s.raft.Snapshot().Error(); err != nil {
		return fmt.Errorf("take snapshot: %w", err)
	}
	return nil
}

// Node returns this node's addresses.
func (s *Store) Node() state.Node {
	return state.Node{ID: s.cfg.NodeID, RaftAddr: s.cfg.RaftAddr, HTTPAddr: s.cfg.HTTPAddr, AgentAddr: s.cfg.AgentAddr, Level: commandLevel}
}

// Member is this node's identity in the cluster: node certificate, TLS
// for the HTTP API and calls to other nodes.
func (s *Store) Member() *cluster.Member { return s.member }

// InitCluster creates the cluster's CA, internal token and first operator
// token once, when this node founded it (see cluster.Member.Init).
func (s *Store) InitCluster(ctx context.Context) error { return s.member.Init(ctx, s) }

// Region is the default region for phone numbers.
func (s *Store) Region() string { return s.cfg.Region }
