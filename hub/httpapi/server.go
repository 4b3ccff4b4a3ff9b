package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/touchpoint/touchpoint/hub/store"
)

// AgentHealth reports what this node knows of connected agents' health.
type AgentHealth interface {
	// Health returns the latest report of each agent this node has seen.
	Health() map[string]AgentReport
}

// AgentReport is an agent's latest health as seen by this node.
type AgentReport struct {
	LastSeen  time.Time `json:"last_seen"`
	OutboxLen uint64    `json:"outbox_len"`
	Cursor    uint64    `json:"cursor"`
	Software  string    `json:"software,omitempty"`
}

// Server serves one hub node's HTTP API.
type Server struct {
	store  *store.Store
	agents AgentHealth
	log    *slog.Logger
	mux    *http.ServeMux
}

// New builds the HTTP API of a node.
func New(st *store.Store, agents AgentHealth, log *slog.Logger) *Server {
	s := &Server{store: st, agents: agents, log: log.With("component", "http"), mux: http.NewServeMux()}
	s.routes()
	return s
}

func (s *Server) routes() {
	s.mux.HandleFunc("POST /v1/events", s.postEvents)
	s.mux.HandleFunc("GET /v1/customers", s.searchCustomers)
	s.mux.HandleFunc("GET /v1/customers/{id}", s.getCustomer)
	s.mux.HandleFunc("GET /v1/customers/{id}/merges", s.getMerges)
	s.mux.HandleFunc("GET /v1/candidates", s.getCandidates)
	s.mux.HandleFunc("POST /v1/candidates/{id}/confirm", s.decideCandidate(true))
	s.mux.HandleFunc("POST /v1/candidates/{id}/reject", s.decideCandidate(false))
	s.mux.HandleFunc("POST /v1/merges/{id}/split", s.splitMerge)
	s.mux.HandleFunc("GET /v1/status", s.getStatus)
	s.mux.HandleFunc("GET /v1/peers", s.getPeers)
	s.mux.HandleFunc("POST /v1/peers", s.leaderOnly(s.postPeer))
	s.mux.HandleFunc("DELETE /v1/peers/{id}", s.leaderOnly(s.deletePeer))
	s.mux.HandleFunc("POST /v1/leader/transfer", s.leaderOnly(s.transferLeader))
	s.mux.HandleFunc("GET /v1/dealers", s.getDealers)
	s.mux.HandleFunc("POST /v1/dealers", s.postDealer)
	s.mux.HandleFunc("POST /v1/tokens", s.postToken)
	s.mux.HandleFunc("GET /v1/agents", s.getAgents)
	s.mux.HandleFunc("POST "+store.InternalApplyPath, s.internalApply)
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", promhttp.Handler())
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// apiError is the body of every error answer.
type apiError struct {
	Error  string `json:"error"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason,omitempty"`
	Leader string `json:"leader,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg})
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz is 200 once the node has a leader and has applied what it knows
// to be committed.
func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	if !s.store.Ready() {
		writeError(w, http.StatusServiceUnavailable, "not ready: no leader yet or still catching up")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
