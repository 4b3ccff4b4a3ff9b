package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/touchpoint/touchpoint/hub/metrics"
	"github.com/touchpoint/touchpoint/hub/store"
)

// AgentHealth reports what this node knows of connected agents' health.
type AgentHealth interface {
	// Health returns the latest report of each agent this node has seen.
	Health() map[string]AgentReport
}

// AgentReport is an agent's latest health as seen by one node.
type AgentReport struct {
	Dealer       string    `json:"dealer"`
	Node         string    `json:"node"` // the hub node it is connected to
	Connected    bool      `json:"connected"`
	LastSeen     time.Time `json:"last_seen"`
	OutboxLen    uint64    `json:"outbox_len"`
	OldestUnsent int64     `json:"oldest_unsent_unix,omitempty"`
	Cursor       uint64    `json:"cursor"`
	FeedLag      uint64    `json:"feed_lag"`
	Software     string    `json:"software,omitempty"`
}

// DefaultSilentAfter is how long an agent may go unheard before the fleet
// view calls it silent.
const DefaultSilentAfter = 5 * time.Minute

// Server serves one hub node's HTTP API.
type Server struct {
	store       *store.Store
	agents      AgentHealth
	log         *slog.Logger
	mux         *http.ServeMux
	handler     http.Handler // mux behind the token guard
	metrics     *metrics.Metrics
	silentAfter time.Duration
	client      *http.Client
}

// Option configures a Server.
type Option func(*Server)

// WithMetrics serves m on /metrics and counts requests and ingest in it.
func WithMetrics(m *metrics.Metrics) Option { return func(s *Server) { s.metrics = m } }

// WithSilentAfter sets when an unheard agent counts as silent.
func WithSilentAfter(d time.Duration) Option { return func(s *Server) { s.silentAfter = d } }

// New builds the HTTP API of a node.
func New(st *store.Store, agents AgentHealth, log *slog.Logger, opts ...Option) *Server {
	s := &Server{
		store: st, agents: agents, log: log.With("component", "http"), mux: http.NewServeMux(),
		silentAfter: DefaultSilentAfter, client: &http.Client{Timeout: 3 * time.Second},
	}
	for _, o := range opts {
		o(s)
	}
	if s.metrics == nil {
		s.metrics = metrics.New(st.RaftNumbers)
	}
	s.routes()
	s.handler = s.guard(s.mux)
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
	s.mux.Handle("GET /metrics", s.metrics.Handler())
	s.mux.HandleFunc("GET /v1/internal/agent-health", s.internalAgentHealth)
	s.mux.HandleFunc("GET /v1/snapshot", s.leaderOnly(s.getSnapshot))
	s.mux.HandleFunc("POST /v1/snapshot", s.leaderOnly(s.postSnapshot))
	s.mux.HandleFunc("PUT /v1/dealers/{id}", s.putDealer)
	s.mux.HandleFunc("POST /v1/keys", s.postKey)
	s.mux.HandleFunc("POST /v1/agents/{id}/revoke", s.revokeAgent)
	s.mux.HandleFunc("POST /v1/customers/{id}/erase", s.eraseCustomer)
	s.mux.HandleFunc("GET /v1/erasures", s.getErasures)
	s.mux.HandleFunc("GET /{$}", s.fleetPage)
}

// ServeHTTP implements http.Handler, counting requests by route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.handler.ServeHTTP(rec, r)
	_, route := s.mux.Handler(r)
	s.metrics.HTTPRequests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
}

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Flush lets streaming handlers (snapshots) flush through the recorder.
func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
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
