package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/touchpoint/touchpoint/hub/cluster"
	"github.com/touchpoint/touchpoint/hub/fleet"
	"github.com/touchpoint/touchpoint/hub/metrics"
	"github.com/touchpoint/touchpoint/hub/store"
)

// AgentHealth reports what this node knows of connected agents' health.
type AgentHealth interface {
	// Health returns the latest report of each agent this node has seen.
	Health() map[string]fleet.Report
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
	intake      Intake
	limiters    *keyLimiters
	now         func() time.Time // the clock of rate limits and charts
}

// Intake configures the channel intake: rate limits, the website
// snippet's origins and the phone lines' countries.
type Intake struct {
	// RateLimit is each channel key's budget of events.
	RateLimit RateLimit
	// WebOrigins lists, per web source (web:zot.example), the page
	// origins (https://www.zot.example) allowed to send its events.
	WebOrigins map[string][]string
	// PhoneLineCountry is the country of each phone line (tollfree: US):
	// the region of caller numbers written without a country code.
	PhoneLineCountry map[string]string
}

// Option configures a Server.
type Option func(*Server)

// WithMetrics serves m on /metrics and counts requests and ingest in it.
func WithMetrics(m *metrics.Metrics) Option { return func(s *Server) { s.metrics = m } }

// WithSilentAfter sets when an unheard agent counts as silent.
func WithSilentAfter(d time.Duration) Option { return func(s *Server) { s.silentAfter = d } }

// WithClock sets the clock of rate limits and of the fleet page's charts
// (tests step it by hand).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithIntake configures the channel intake (see Intake).
func WithIntake(in Intake) Option { return func(s *Server) { s.intake = in } }

// New builds the HTTP API of a node.
func New(st *store.Store, agents AgentHealth, log *slog.Logger, opts ...Option) *Server {
	s := &Server{
		store: st, agents: agents, log: log.With("component", "http"), mux: http.NewServeMux(),
		silentAfter: DefaultSilentAfter, client: st.Member().InternalClient(3 * time.Second),
		intake: Intake{RateLimit: RateLimit{PerSecond: DefaultRatePerSecond, Burst: DefaultRateBurst}},
		now:    time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	if s.metrics == nil {
		s.metrics = metrics.New(st.RaftNumbers)
	}
	s.limiters = newKeyLimiters(s.intake.RateLimit)
	for _, rt := range s.routeTable() {
		s.mux.Handle(rt.pattern, rt.handler)
	}
	s.handler = s.guard(s.mux)
	return s
}

// route is one registered pattern and its handler.
type route struct {
	pattern string
	handler http.Handler
}

// routeTable is every route of the API; the OpenAPI document describes
// exactly these (see openapi_test.go).
func (s *Server) routeTable() []route {
	return []route{
		{"POST /v1/events", s.limitEvents(s.postEvents)},
		{"GET /v1/customers", http.HandlerFunc(s.searchCustomers)},
		{"GET /v1/customers/{id}", http.HandlerFunc(s.getCustomer)},
		{"GET /v1/customers/{id}/merges", http.HandlerFunc(s.getMerges)},
		{"GET /v1/candidates", http.HandlerFunc(s.getCandidates)},
		{"POST /v1/candidates/{id}/confirm", http.HandlerFunc(s.decideCandidate(true))},
		{"POST /v1/candidates/{id}/reject", http.HandlerFunc(s.decideCandidate(false))},
		{"POST /v1/merges/{id}/split", http.HandlerFunc(s.splitMerge)},
		{"GET /v1/status", http.HandlerFunc(s.getStatus)},
		{"GET /v1/peers", http.HandlerFunc(s.getPeers)},
		{"POST /v1/peers", http.HandlerFunc(s.leaderOnly(s.postPeer))},
		{"POST /v1/peers/certificate", http.HandlerFunc(s.postNodeCert)},
		{"DELETE /v1/peers/{id}", http.HandlerFunc(s.leaderOnly(s.deletePeer))},
		{"POST /v1/leader/transfer", http.HandlerFunc(s.leaderOnly(s.transferLeader))},
		{"GET /v1/dealers", http.HandlerFunc(s.getDealers)},
		{"POST /v1/dealers", http.HandlerFunc(s.postDealer)},
		{"POST /v1/tokens", http.HandlerFunc(s.postToken)},
		{"GET /v1/agents", http.HandlerFunc(s.getAgents)},
		{"POST " + cluster.InternalApplyPath, cluster.ApplyHandler(s.store)},
		{"GET /healthz", http.HandlerFunc(s.healthz)},
		{"GET /readyz", http.HandlerFunc(s.readyz)},
		{"GET /metrics", s.metrics.Handler()},
		{"GET /v1/internal/agent-health", http.HandlerFunc(s.internalAgentHealth)},
		{"GET /v1/internal/trends", http.HandlerFunc(s.internalTrends)},
		{"GET /v1/snapshot", http.HandlerFunc(s.leaderOnly(s.getSnapshot))},
		{"POST /v1/snapshot", http.HandlerFunc(s.leaderOnly(s.postSnapshot))},
		{"PUT /v1/dealers/{id}", http.HandlerFunc(s.putDealer)},
		{"POST /v1/keys", http.HandlerFunc(s.postKey)},
		{"POST /v1/agents/{id}/revoke", http.HandlerFunc(s.revokeAgent)},
		{"POST /v1/customers/{id}/erase", http.HandlerFunc(s.eraseCustomer)},
		{"GET /v1/erasures", http.HandlerFunc(s.getErasures)},
		{"GET /{$}", http.HandlerFunc(s.fleetPage)},
		{"POST /v1/channels/phone/calls", http.HandlerFunc(s.postPhoneCalls)},
		{"GET /v1/web/touchpoint.js", http.HandlerFunc(s.getSnippet)},
		{"POST /v1/web/events", http.HandlerFunc(s.postWebEvents)},
		{"OPTIONS /v1/web/events", http.HandlerFunc(s.preflightWebEvents)},
		{"POST /v1/web/keys", http.HandlerFunc(s.postWebKey)},
		{"GET /v1/openapi.json", http.HandlerFunc(s.getOpenAPI)},
	}
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

// readyz is 200 once the node has a leader and its state is current (at
// most 64 received Raft entries not yet applied).
func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	if !s.store.Ready() {
		writeError(w, http.StatusServiceUnavailable, "not ready: no leader yet or still catching up")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
