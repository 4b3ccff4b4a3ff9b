package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/hub/fleet"
	"github.com/touchpoint/touchpoint/hub/state"
)

// Agent states in the fleet view, in the order the view lists them.
const (
	AgentSilent  = "silent"  // not heard from within the silent threshold, or never
	AgentRevoked = "revoked" // its certificate and secret no longer admit it
	AgentOK      = "ok"
)

// stateRank orders agents: those that need a look first.
var stateRank = map[string]int{AgentSilent: 0, AgentRevoked: 1, AgentOK: 2}

// agentView is one enrolled agent with its latest health from any node.
type agentView struct {
	state.Agent
	State  string        `json:"state"`
	Health *fleet.Report `json:"health,omitempty"`
}

func (s *Server) internalAgentHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.agents.Health())
}

func (s *Server) getAgents(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"agents": s.fleet(r.Context()), "silent_after": s.silentAfter.String()})
}

// fleet lists every enrolled agent with the freshest report any node has:
// silent ones first, then revoked ones, then by dealer and hostname.
func (s *Server) fleet(ctx context.Context) []agentView {
	health := s.clusterHealth(ctx)
	out := []agentView{}
	for _, a := range s.store.Agents() {
		v := agentView{Agent: a, State: AgentSilent}
		if h, ok := health[a.ID]; ok {
			v.Health = &h
			if time.Since(h.LastSeen) <= s.silentAfter {
				v.State = AgentOK
			}
		}
		if a.RevokedAt != 0 {
			v.State = AgentRevoked
		}
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if stateRank[a.State] != stateRank[b.State] {
			return stateRank[a.State] < stateRank[b.State]
		}
		if a.Dealer != b.Dealer {
			return a.Dealer < b.Dealer
		}
		return a.Hostname+a.ID < b.Hostname+b.ID
	})
	return out
}

// clusterHealth merges every reachable node's agent reports, keeping the
// latest per agent: an agent is connected to one node at a time.
func (s *Server) clusterHealth(ctx context.Context) map[string]fleet.Report {
	merged := s.agents.Health()
	if merged == nil {
		merged = map[string]fleet.Report{}
	}
	var mu sync.Mutex
	s.eachOtherNode(func(n state.Node) {
		var remote map[string]fleet.Report
		if s.internalGet(ctx, n.HTTPAddr, "/v1/internal/agent-health", &remote) != nil {
			return // a node that is down knows nothing current
		}
		mu.Lock()
		defer mu.Unlock()
		for id, h := range remote {
			if h.LastSeen.After(merged[id].LastSeen) {
				merged[id] = h
			}
		}
	})
	return merged
}

// eachOtherNode calls fn for every registered node but this one, all at
// once, and returns when every call has.
func (s *Server) eachOtherNode(fn func(state.Node)) {
	var wg sync.WaitGroup
	self := s.store.Node().ID
	for _, n := range s.store.Nodes() {
		if n.ID == self {
			continue
		}
		wg.Go(func() { fn(n) })
	}
	wg.Wait()
}

// internalGet reads another node's internal endpoint (with the cluster's
// internal token) into out.
func (s *Server) internalGet(ctx context.Context, addr, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.store.Member().HTTPScheme()+"://"+addr+path, nil)
	if err != nil {
		return err
	}
	if cs, ok := s.store.Secrets(); ok {
		req.Header.Set("Authorization", "Bearer "+cs.InternalToken)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("get %s from %s: status %d", path, addr, resp.StatusCode)
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 16<<20)).Decode(out); err != nil {
		return fmt.Errorf("read %s from %s: %w", path, addr, err)
	}
	return nil
}
