package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/touchpoint/touchpoint/hub/cluster"
	"github.com/touchpoint/touchpoint/hub/state"
)

// postKey creates a channel key: {"source": "web:zot.example", "read": false}.
func (s *Server) postKey(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Source string `json:"source"`
		Read   bool   `json:"read"`
		Name   string `json:"name"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	kind, rest, ok := strings.Cut(req.Source, ":")
	if !ok || rest == "" || (kind != "web" && kind != "phone" && kind != "import" && kind != "dealer") || len(req.Source) > 160 {
		writeJSON(w, http.StatusBadRequest, fieldError("source", "must be web:<site>, phone:<line>, import:<name> or dealer:<id>"))
		return
	}
	key := "tpk_" + cluster.RandomSecret(24)
	k := state.APIKey{Hash: state.HashSecret(key), Kind: state.KeyChannel, Source: req.Source, Read: req.Read, Name: req.Name}
	if _, err := s.store.ApplyOne(r.Context(), state.CmdAddKey, &k); err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"key": key, "source": k.Source, "read": k.Read})
}

// revokeAgent stops an agent from connecting; it takes effect on its next request.
func (s *Server) revokeAgent(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	_, err := s.store.ApplyOne(r.Context(), state.CmdRevoke, &state.RevokeBody{AgentID: id})
	switch {
	case errors.Is(err, state.ErrUnknownAgent):
		writeError(w, http.StatusNotFound, "no agent "+id)
	case err != nil:
		writeError(w, http.StatusServiceUnavailable, err.Error())
	default:
		s.log.Info("agent revoked", "agent", id)
		writeJSON(w, http.StatusOK, map[string]string{"revoked": id})
	}
}

// eraseCustomer removes a person at the hub and, through the feed, at
// every agent.
func (s *Server) eraseCustomer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	_, err := s.store.ApplyOne(r.Context(), state.CmdErase, &state.EraseBody{CustomerID: id})
	switch {
	case errors.Is(err, state.ErrUnknownCustomer):
		writeError(w, http.StatusNotFound, "no customer "+id)
	case err != nil:
		writeError(w, http.StatusServiceUnavailable, err.Error())
	default:
		s.log.Info("customer erased", "customer", id)
		writeJSON(w, http.StatusOK, map[string]string{"erased": id})
	}
}

// erasureView is an erasure with the agents that have not applied it.
type erasureView struct {
	state.Erasure
	Pending []string `json:"pending_agents"`
}

// getErasures lists erasures and, for each, the agents of the dealers
// that held the person whose reported feed cursor is still before it.
func (s *Server) getErasures(w http.ResponseWriter, r *http.Request) {
	health := s.clusterHealth(r.Context())
	agents := s.store.Agents()
	out := []erasureView{}
	for _, e := range s.store.Erasures() {
		v := erasureView{Erasure: e, Pending: []string{}}
		for _, a := range agents {
			if a.RevokedAt != 0 || !slices.Contains(e.Dealers, a.Dealer) {
				continue
			}
			if h, ok := health[a.ID]; !ok || h.Cursor < e.Seq {
				v.Pending = append(v.Pending, a.ID)
			}
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"erasures": out})
}
