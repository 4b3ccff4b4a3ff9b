package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/hub/fleet"
	"github.com/touchpoint/touchpoint/hub/state"
)

// Agent states in the fleet view.
const (
	AgentOK     = "ok"
	AgentSilent = "silent" // not heard from within the silent threshold, or never
)

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

// fleet lists every enrolled agent with the freshest report any node has,
// silent ones first, then by dealer.
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
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].State == AgentSilent) != (out[j].State == AgentSilent) {
			return out[i].State == AgentSilent
		}
		return out[i].Dealer+out[i].ID < out[j].Dealer+out[j].ID
	})
	return out
}

// clusterHealth merges every reachable node's agent reports, keeping the
// latest per agent: an agent is connected to one node at a time.
func (s *Server) clusterHealth(ctx context.Context) map[string]fleet.Report {
	merged := s.agents.Health()
	var mu sync.Mutex
	var wg sync.WaitGroup
	self := s.store.Node().ID
	for _, n := range s.store.Nodes() {
		if n.ID == self {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			remote := s.nodeHealth(ctx, n.HTTPAddr)
			mu.Lock()
			defer mu.Unlock()
			for id, h := range remote {
				if h.LastSeen.After(merged[id].LastSeen) {
					merged[id] = h
				}
			}
		}()
	}
	wg.Wait()
	return merged
}

func (s *Server) nodeHealth(ctx context.Context, addr string) map[string]fleet.Report {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.store.Member().HTTPScheme()+"://"+addr+"/v1/internal/agent-health", nil)
	if err != nil {
		return nil
	}
	if cs, ok := s.store.Secrets(); ok {
		req.Header.Set("Authorization", "Bearer "+cs.InternalToken)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil // a node that is down knows nothing current
	}
	defer resp.Body.Close()
	var out map[string]fleet.Report
	if json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 16<<20)).Decode(&out) != nil {
		return nil
	}
	return out
}
