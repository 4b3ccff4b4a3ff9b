package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/raft"
	"github.com/touchpoint/touchpoint/hub/state"
)

// Status is what `touchpoint-hub status` shows for one node.
type Status struct {
	NodeID       string `json:"node_id"`
	State        string `json:"state"`
	Term         uint64 `json:"term"`
	CommitIndex  uint64 `json:"commit_index"`
	AppliedIndex uint64 `json:"applied_index"`
	LeaderID     string `json:"leader_id"`
	LeaderAddr   string `json:"leader_addr"`
	Peers        []Peer `json:"peers"`
}

// Peer is a member of the Raft configuration.
type Peer struct {
	ID       string      `json:"id"`
	RaftAddr string      `json:"raft_addr"`
	Suffrage string      `json:"suffrage"`
	Node     *state.Node `json:"node,omitempty"`
}

// Status reports this node's view of the cluster.
func (s *Store) Status() Status {
	stats := s.raft.Stats()
	addr, id := s.raft.LeaderWithID()
	st := Status{
		NodeID: s.cfg.NodeID, State: s.raft.State().String(),
		Term:         parseUint(stats["term"]),
		CommitIndex:  parseUint(stats["commit_index"]),
		AppliedIndex: s.raft.AppliedIndex(),
		LeaderID:     string(id), LeaderAddr: string(addr),
	}
	st.Peers, _ = s.Peers()
	return st
}

func parseUint(s string) uint64 {
	v, _ := strconv.ParseUint(s, 10, 64)
	return v
}

// Peers lists the Raft configuration with each node's addresses.
func (s *Store) Peers() ([]Peer, error) {
	f := s.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("read raft configuration: %w", err)
	}
	nodes := map[string]state.Node{}
	for _, n := range s.Nodes() {
		nodes[n.ID] = n
	}
	var peers []Peer
	for _, srv := range f.Configuration().Servers {
		p := Peer{ID: string(srv.ID), RaftAddr: string(srv.Address), Suffrage: srv.Suffrage.String()}
		if n, ok := nodes[p.ID]; ok {
			p.Node = &n
		}
		peers = append(peers, p)
	}
	return peers, nil
}

// IsLeader reports whether this node leads.
func (s *Store) IsLeader() bool { return s.raft.State() == raft.Leader }

// LeaderHTTP returns the leader's HTTP address, if known.
func (s *Store) LeaderHTTP() (string, bool) {
	n, ok := s.leaderNode()
	return n.HTTPAddr, ok
}

func (s *Store) leaderNode() (state.Node, bool) {
	_, id := s.raft.LeaderWithID()
	if id == "" {
		return state.Node{}, false
	}
	for _, n := range s.Nodes() {
		if n.ID == string(id) {
			return n, true
		}
	}
	return state.Node{}, false
}

// Ready reports whether the node has a leader and its state is current
// (see ServesAgents): a node replaying a backlog after a join or restart
// is not, while one a few entries behind under load still is.
func (s *Store) Ready() bool {
	addr, _ := s.raft.LeaderWithID()
	ok, _ := s.ServesAgents()
	return addr != "" && ok && s.selfRegistered()
}

// Join adds a node as a voter and records its addresses. Leader only.
func (s *Store) Join(ctx context.Context, n state.Node) error {
	if !s.IsLeader() {
		return ErrNotLeaderHere
	}
	f := s.raft.AddVoter(raft.ServerID(n.ID), raft.ServerAddress(n.RaftAddr), 0, raftApplyTimeout)
	if err := f.Error(); err != nil {
		return fmt.Errorf("add voter %s: %w", n.ID, err)
	}
	_, err := s.ApplyOne(ctx, state.CmdPutNode, &n)
	return err
}

// RemovePeer removes a node from the cluster. Leader only.
func (s *Store) RemovePeer(id string) error {
	if !s.IsLeader() {
		return ErrNotLeaderHere
	}
	if err := s.raft.RemoveServer(raft.ServerID(id), 0, raftApplyTimeout).Error(); err != nil {
		return fmt.Errorf("remove %s: %w", id, err)
	}
	return nil
}

// TransferLeadership hands leadership to another voter. Leader only.
func (s *Store) TransferLeadership() error {
	if !s.IsLeader() {
		return ErrNotLeaderHere
	}
	return s.raft.LeadershipTransfer().Error()
}

// RegisterSelf keeps this node's addresses in the replicated state, so
// followers can forward to it and agents can fail over to it. It runs
// until ctx ends.
func (s *Store) RegisterSelf(ctx context.Context) {
	for {
		if s.selfRegistered() {
			select {
			case <-ctx.Done():
				return
			case <-time.After(5 * time.Second):
				continue
			}
		}
		if _, err := s.ApplyOne(ctx, state.CmdPutNode, s.Node()); err != nil && ctx.Err() == nil {
			s.log.Debug("register node addresses", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func (s *Store) selfRegistered() bool {
	for _, n := range s.Nodes() {
		if n.ID == s.cfg.NodeID {
			return n == s.Node()
		}
	}
	return false
}

// RaftNumbers reports Raft's state for metrics: is_leader, term,
// commit_index, applied_index, peers, the latest snapshot and the
// oldest entry the log still holds.
func (s *Store) RaftNumbers() map[string]float64 {
	stats := s.raft.Stats()
	first, _ := s.raftLog.FirstIndex()
	leader := 0.0
	if s.IsLeader() {
		leader = 1
	}
	return map[string]float64{
		"is_leader": leader, "term": float64(parseUint(stats["term"])),
		"commit_index": float64(parseUint(stats["commit_index"])), "applied_index": float64(s.raft.AppliedIndex()),
		"peers":               float64(parseUint(stats["num_peers"]) + 1),
		"last_snapshot_index": float64(parseUint(stats["last_snapshot_index"])),
		"snapshot_restores":   float64(s.Restores()),
		"first_log_index":     float64(first),
	}
}

// maxAgentBacklog is how many received but unapplied Raft entries a node
// may hold and still serve agents.
const maxAgentBacklog = 64

// ServesAgents reports whether this node's state is current enough for
// agents, and its backlog of received but unapplied entries. A node that
// just joined or restarted catches up by receiving entries much faster
// than it applies them; an agent it sends elsewhere meanwhile gets a
// current feed rather than one that trails the cluster for seconds.
func (s *Store) ServesAgents() (bool, uint64) {
	last, applied := s.raft.LastIndex(), s.raft.AppliedIndex()
	backlog := last - min(applied, last)
	return s.AppliedIndex() > 0 && backlog <= maxAgentBacklog, backlog
}
