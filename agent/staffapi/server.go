package staffapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/touchpoint/touchpoint/agent/hublink"
	"github.com/touchpoint/touchpoint/agent/localstore"
	"github.com/touchpoint/touchpoint/customer"
)

// Hub is what the API needs of the hub connection.
type Hub interface {
	// Lookup searches the hub and caches what it finds.
	Lookup(ctx context.Context, q localstore.Query) ([]customer.Profile, error)
	// State reports the connection for sync-status.
	State() hublink.State
}

// Server serves the agent's HTTP API.
type Server struct {
	store  *localstore.Store
	hub    Hub
	dealer string
	log    *slog.Logger
	mux    *http.ServeMux
}

// New builds the API for the agent of dealer.
func New(st *localstore.Store, hub Hub, dealer string, log *slog.Logger) *Server {
	s := &Server{store: st, hub: hub, dealer: dealer, log: log.With("component", "staffapi"), mux: http.NewServeMux()}
	s.mux.HandleFunc("POST /v1/events", s.postEvents)
	s.mux.HandleFunc("GET /v1/customers", s.searchCustomers)
	s.mux.HandleFunc("GET /v1/customers/{id}", s.getCustomer)
	s.mux.HandleFunc("GET /v1/sync", s.getSync)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.mux.HandleFunc("GET /{$}", s.staffPage)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

type apiError struct {
	Error  string `json:"error"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason,omitempty"`
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
