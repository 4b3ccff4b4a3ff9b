package staffapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/touchpoint/touchpoint/agent/hublink"
	"github.com/touchpoint/touchpoint/agent/localstore"
	"github.com/touchpoint/touchpoint/customer"
	"golang.org/x/crypto/bcrypt"
)

// Errors of the staff API.
var (
	// ErrUnauthorized means the request carried no valid token or session.
	ErrUnauthorized = errors.New("sign in first: send Authorization: Bearer TOKEN (the admin token in <data-dir>/admin.token, or a staff token from `touchpoint-agent staff add`)")
	// ErrForbidden means the caller may not do this (a staff token on an
	// admin call, or a page form without its CSRF token).
	ErrForbidden = errors.New("not allowed")
)

// Hub is what the API needs of the hub connection.
type Hub interface {
	// Lookup searches the hub and caches what it finds.
	Lookup(ctx context.Context, q localstore.Query) ([]customer.Profile, error)
	// State reports the connection for sync-status.
	State() hublink.State
	Reviewer
}

// Server serves the agent's HTTP API and the staff page.
type Server struct {
	store      *localstore.Store
	hub        Hub
	dealer     string
	log        *slog.Logger
	mux        *http.ServeMux
	adminToken string
	cost       int           // bcrypt cost for staff passwords
	sessionTTL time.Duration // how long a page login lasts
	logins     *loginLimiter
	pages      pageSet
}

// Option configures a Server.
type Option func(*Server)

// WithAdminTokenFile makes the API accept the token in path (the
// admin.token that enrolment writes) as the local admin.
func WithAdminTokenFile(path string) Option {
	return func(s *Server) {
		b, err := os.ReadFile(path)
		if err != nil {
			s.log.Warn("no admin token: only staff tokens and logins work", "err", err)
			return
		}
		s.adminToken = strings.TrimSpace(string(b))
	}
}

// WithAdminToken sets the local admin token directly.
func WithAdminToken(token string) Option { return func(s *Server) { s.adminToken = token } }

// WithPasswordCost sets the bcrypt cost of new passwords (tests use the
// minimum to stay fast).
func WithPasswordCost(cost int) Option { return func(s *Server) { s.cost = cost } }

// New builds the API and staff page for the agent of dealer.
func New(st *localstore.Store, hub Hub, dealer string, log *slog.Logger, opts ...Option) *Server {
	s := &Server{
		store: st, hub: hub, dealer: dealer, log: log.With("component", "staffapi"), mux: http.NewServeMux(),
		cost: bcrypt.DefaultCost + 1, sessionTTL: 12 * time.Hour, logins: newLoginLimiter(), pages: mustParsePages(),
	}
	for _, o := range opts {
		o(s)
	}
	s.routes()
	return s
}

func (s *Server) routes() {
	// Open to all: health, assets and the login form.
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.mux.Handle("GET /static/", staticHandler())
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.login)

	// The JSON API: a bearer token, or the page's session.
	s.mux.HandleFunc("POST /v1/events", s.api(s.postEvents))
	s.mux.HandleFunc("GET /v1/customers", s.api(s.searchCustomers))
	s.mux.HandleFunc("GET /v1/customers/{id}", s.api(s.getCustomer))
	s.mux.HandleFunc("GET /v1/sync", s.api(s.getSync))
	s.mux.HandleFunc("GET /v1/candidates", s.api(s.getCandidates))
	s.mux.HandleFunc("POST /v1/candidates/{id}/confirm", s.api(s.postDecision(true)))
	s.mux.HandleFunc("POST /v1/candidates/{id}/reject", s.api(s.postDecision(false)))
	s.mux.HandleFunc("GET /v1/staff", s.admin(s.listStaff))
	s.mux.HandleFunc("POST /v1/staff", s.admin(s.addStaff))
	s.mux.HandleFunc("DELETE /v1/staff/{username}", s.admin(s.removeStaff))
	s.mux.HandleFunc("GET /v1/audit", s.admin(s.getAudit))

	// The staff page: a session, and its CSRF token on every form.
	s.mux.HandleFunc("GET /{$}", s.page(s.homePage))
	s.mux.HandleFunc("GET /partials/sync", s.page(s.syncPartial))
	s.mux.HandleFunc("GET /search", s.page(s.searchPage))
	s.mux.HandleFunc("GET /customers/{id}", s.page(s.profilePage))
	s.mux.HandleFunc("POST /customers/{id}", s.page(s.recordForProfile))
	s.mux.HandleFunc("POST /visits", s.page(s.recordWalkIn))
	s.mux.HandleFunc("GET /candidates", s.page(s.candidatesPage))
	s.mux.HandleFunc("POST /candidates/{id}", s.page(s.decideCandidatePage))
	s.mux.HandleFunc("POST /logout", s.page(s.logout))
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

type apiError struct {
	Error  string `json:"error"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// writeJSON answers with v as compact JSON: indenting a 50-event profile
// costed a tenth of the agent's CPU under lookups, and the CLI and the
// staff page parse the answer (`--json` indents for people).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg})
}
