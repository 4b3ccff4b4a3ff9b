package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/hub/cluster"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// /healthz answers while the process runs; /readyz only once the node
// has a leader and has applied what it knows to be committed.
func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	_, lonely := mustOpen(t, false) // never bootstrapped, never joined
	_, ready := mustNode(t)
	for _, tt := range []struct {
		name       string
		h          http.Handler
		path       string
		wantStatus int
	}{
		{"healthz of a node without cluster", lonely, "/healthz", http.StatusOK},
		{"readyz of a node without cluster", lonely, "/readyz", http.StatusServiceUnavailable},
		{"healthz of a ready node", ready, "/healthz", http.StatusOK},
		{"readyz of a ready node", ready, "/readyz", http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, tt.h, http.MethodGet, tt.path, nil)
			decode(t, rec)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
		})
	}
	if rec := serve(t, ready, http.MethodGet, "/metrics", nil); rec.Code != http.StatusOK {
		t.Errorf("/metrics: status %d", rec.Code)
	}
}

// A write reaching a node outside any cluster is not committed: 503, so
// the client retries.
func TestPostEvents_WithoutLeaderIs503(t *testing.T) {
	t.Parallel()
	_, lonely := mustOpen(t, false)
	// The handler retries until the request's context ends.
	rec := serveWithin(t, time.Second, lonely, http.MethodPost, "/v1/events", mustJSON(t, eventJSON("x", nil)))
	if got := decode(t, rec); got.Error == "" {
		t.Errorf("503 without a message")
	}
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

// POST /v1/dealers validates every field and names the wrong one.
func TestPostDealer(t *testing.T) {
	t.Parallel()
	st, h := mustNode(t)
	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantField  string
	}{
		{"valid", `{"id": "D-1", "name": "Zot Palo Alto", "country": "us", "market": ["943", "940"]}`, http.StatusOK, ""},
		{"country defaults to US", `{"id": "D_2", "name": "Zot"}`, http.StatusOK, ""},
		{"id with a space", `{"id": "bad id", "name": "x"}`, http.StatusBadRequest, "id"},
		{"id missing", `{"name": "x"}`, http.StatusBadRequest, "id"},
		{"id too long", `{"id": "` + strings.Repeat("d", 65) + `"}`, http.StatusBadRequest, "id"},
		{"country of three letters", `{"id": "D3", "country": "USA"}`, http.StatusBadRequest, "country"},
		{"country with a digit", `{"id": "D3", "country": "U1"}`, http.StatusBadRequest, "country"},
		{"name too long", `{"id": "D3", "name": "` + strings.Repeat("n", 129) + `"}`, http.StatusBadRequest, "name"},
		{"market prefix with a slash", `{"id": "D3", "market": ["94/3"]}`, http.StatusBadRequest, "market"},
		{"market prefix empty", `{"id": "D3", "market": [""]}`, http.StatusBadRequest, "market"},
		{"unknown field", `{"id": "D3", "markets": ["943"]}`, http.StatusBadRequest, ""},
		{"not JSON", `{"id": `, http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, h, http.MethodPost, "/v1/dealers", []byte(tt.body))
			got := decode(t, rec)
			if rec.Code != tt.wantStatus || got.Field != tt.wantField {
				t.Fatalf("status %d field %q, want %d %q: %s", rec.Code, got.Field, tt.wantStatus, tt.wantField, rec.Body)
			}
			if rec.Code != http.StatusOK && got.Error == "" {
				t.Errorf("no error message: %s", rec.Body)
			}
		})
	}
	if d, ok := st.Dealer("D-1"); !ok || d.Country != "US" || len(d.Market) != 2 {
		t.Errorf("D-1 stored as %+v, %v", d, ok)
	}
	if d, ok := st.Dealer("D_2"); !ok || d.Country != "US" {
		t.Errorf("D_2 stored as %+v, %v", d, ok)
	}
	var listed struct{ Dealers []state.Dealer }
	rec := serve(t, h, http.MethodGet, "/v1/dealers", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &listed); err != nil || len(listed.Dealers) != 2 {
		t.Errorf("GET /v1/dealers: %s (%v)", rec.Body, err)
	}
}

// POST /v1/tokens issues a one-time token for a registered dealer, which
// enrols one agent; an unknown dealer or a bad TTL is a 400.
func TestPostToken(t *testing.T) {
	t.Parallel()
	st, h := mustNode(t)
	if rec := serve(t, h, http.MethodPost, "/v1/dealers", []byte(`{"id": "D1", "name": "Zot"}`)); rec.Code != http.StatusOK {
		t.Fatalf("add dealer: %d %s", rec.Code, rec.Body)
	}
	for _, tt := range []struct {
		name, body, wantField string
	}{
		{"unknown dealer", `{"dealer": "D9"}`, "dealer"},
		{"no dealer", `{}`, "dealer"},
		{"negative ttl", `{"dealer": "D1", "ttl": "-1h"}`, "ttl"},
		{"ttl without unit", `{"dealer": "D1", "ttl": "24"}`, "ttl"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, h, http.MethodPost, "/v1/tokens", []byte(tt.body))
			if got := decode(t, rec); rec.Code != http.StatusBadRequest || got.Field != tt.wantField {
				t.Fatalf("status %d field %q, want 400 %q: %s", rec.Code, got.Field, tt.wantField, rec.Body)
			}
		})
	}

	rec := serve(t, h, http.MethodPost, "/v1/tokens", []byte(`{"dealer": "D1", "ttl": "1h"}`))
	var issued struct {
		Token  string `json:"token"`
		Dealer string `json:"dealer"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &issued); rec.Code != http.StatusOK || err != nil || !strings.HasPrefix(issued.Token, "tp1.") {
		t.Fatalf("issue token: %d %s", rec.Code, rec.Body)
	}
	token, err := protocol.ParseEnrolmentToken(issued.Token)
	if err != nil {
		t.Fatal(err)
	}
	enrol := func(agent string) error {
		_, err := st.ApplyOne(t.Context(), state.CmdEnroll, &state.EnrollBody{TokenHash: state.HashSecret(token.Secret), AgentID: agent})
		return err
	}
	if err := enrol("A1"); err != nil {
		t.Fatalf("enrol with the issued token: %v", err)
	}
	if err := enrol("A2"); err == nil {
		t.Fatal("the token enrolled a second agent")
	}
	var agents struct{ Agents []state.Agent }
	rec = serve(t, h, http.MethodGet, "/v1/agents", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &agents); err != nil || len(agents.Agents) != 1 || agents.Agents[0].Dealer != "D1" {
		t.Errorf("GET /v1/agents: %s (%v)", rec.Body, err)
	}
}

// The internal endpoint applies CBOR commands on the leader, refuses
// bodies it cannot decode, and sends a follower's caller elsewhere (503).
func TestInternalApply(t *testing.T) {
	t.Parallel()
	st, h := mustNode(t)
	secrets, _ := st.Secrets()
	leader := asCaller("Bearer "+secrets.InternalToken, h)
	_, lonely := mustOpen(t, false)
	cmd, err := state.NewCommand(state.CmdPutDealer, &state.Dealer{ID: "D1"})
	if err != nil {
		t.Fatal(err)
	}
	body, err := protocol.Marshal([]state.Command{cmd})
	if err != nil {
		t.Fatal(err)
	}

	rec := serve(t, leader, http.MethodPost, cluster.InternalApplyPath, body)
	var res []state.Result
	if rec.Code != http.StatusOK || protocol.Unmarshal(rec.Body.Bytes(), &res) != nil || len(res) != 1 || res[0].Error != "" {
		t.Fatalf("apply on leader: %d %q", rec.Code, rec.Body)
	}
	if rec := serve(t, leader, http.MethodPost, cluster.InternalApplyPath, []byte("not cbor")); rec.Code != http.StatusBadRequest {
		t.Errorf("garbage: status %d", rec.Code)
	}
	if rec := serve(t, lonely, http.MethodPost, cluster.InternalApplyPath, body); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("on a follower: status %d", rec.Code)
	}
}

// asCaller sends every request with the given Authorization header.
func asCaller(auth string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("Authorization", auth)
		h.ServeHTTP(w, r)
	})
}
