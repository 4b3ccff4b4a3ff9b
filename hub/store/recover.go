package store

import (
	"fmt"

	"github.com/hashicorp/raft"
	"github.com/touchpoint/touchpoint/hub/raftlog"
)

// recover rewrites this node's Raft configuration to RecoverPeers. It is
// for a cluster that lost quorum for good: every surviving node is
// stopped, then started once with the same list of survivors, and they
// elect a leader among themselves. Entries the lost nodes held alone may
// be lost; everything the survivors have is kept.
func (s *Store) recover(conf *raft.Config, logs *raftlog.Store, snaps raft.SnapshotStore) error {
	var cfg raft.Configuration
	for _, p := range s.cfg.RecoverPeers {
		cfg.Servers = append(cfg.Servers, raft.Server{
			ID: raft.ServerID(p.ID), Address: raft.ServerAddress(p.RaftAddr), Suffrage: raft.Voter,
		})
	}
	err := raft.RecoverCluster(conf, &fsm{state: s.State, log: s.log}, logs, logs, snaps, s.transport, cfg)
	if err != nil {
		return fmt.Errorf("recover cluster: %w", err)
	}
	s.log.Warn("raft configuration recovered: start the other survivors with the same peers", "peers", len(cfg.Servers))
	return nil
}
