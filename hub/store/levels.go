package store

import (
	"github.com/hashicorp/raft"

	"github.com/touchpoint/touchpoint/hub/state"
)

// commandLevel is the newest set of command types this node applies:
// level 2 adds state.CmdIngestProvenance and state.CmdSplitAll. Each node registers its level
// with its addresses (RegisterSelf), and ingests use the newest command
// every voter has registered, so a cluster in the middle of a rolling
// upgrade never proposes a command one of its nodes would stop at.
const commandLevel = 2

// ingestCommand is the ingest command type every voter applies.
func (s *Store) ingestCommand() state.CommandType {
	if s.clusterLevel() >= 2 {
		return state.CmdIngestProvenance
	}
	return state.CmdIngest
}

// SplitCommand is the split command type every voter applies.
func (s *Store) SplitCommand() state.CommandType {
	if s.clusterLevel() >= 2 {
		return state.CmdSplitAll
	}
	return state.CmdSplit
}

// clusterLevel is the lowest level the voters registered; a voter that
// has not registered counts as level 0.
func (s *Store) clusterLevel() int {
	f := s.raft.GetConfiguration()
	if f.Error() != nil {
		return 0
	}
	levels := map[string]int{}
	for _, n := range s.Nodes() {
		levels[n.ID] = n.Level
	}
	lowest := commandLevel
	for _, srv := range f.Configuration().Servers {
		if srv.Suffrage == raft.Voter {
			lowest = min(lowest, levels[string(srv.ID)])
		}
	}
	return lowest
}
