package httpapi_test

// Test helpers: a real single-node hub (Badger state and Raft log, Raft
// over TCP on 127.0.0.1, in a temporary directory) behind the HTTP API, driven
// through its http.Handler. Set TOUCHPOINT_TEST_LOG=1 to see its logs.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/hub/cluster"
	"github.com/touchpoint/touchpoint/hub/fleet"
	"github.com/touchpoint/touchpoint/hub/httpapi"
	"github.com/touchpoint/touchpoint/hub/store"
	"github.com/touchpoint/touchpoint/protocol"
	"github.com/touchpoint/touchpoint/systemtest/freeport"
)

// waitTimeout bounds every wait for the node to settle.
const waitTimeout = 20 * time.Second

// noAgents is a hub without connected agents.
type noAgents struct{}

func (noAgents) Health() map[string]fleet.Report { return nil }

// testLogOutput is where the node logs: nowhere, unless asked.
func testLogOutput() io.Writer {
	if os.Getenv("TOUCHPOINT_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}

func freeAddr(t testing.TB) string {
	t.Helper()
	addr, err := freeport.TCP()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// eventually calls fn until it returns nil, failing the test with fn's
// last error once timeout has passed.
func eventually(t testing.TB, timeout time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still failing after %s: %v", timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mustOpen opens a hub node in a temporary directory and keeps its
// addresses registered until the test ends; opts configure its API.
func mustOpen(t testing.TB, bootstrap bool, opts ...httpapi.Option) (*store.Store, http.Handler) {
	t.Helper()
	out := testLogOutput()
	logger := slog.New(slog.NewTextHandler(out, nil))
	dataDir := t.TempDir()
	st, err := store.Open(store.Config{
		NodeID: "solo", DataDir: dataDir, RaftAddr: freeAddr(t), HTTPAddr: freeAddr(t),
		AgentAddr: freeAddr(t), Region: "US", Bootstrap: bootstrap, Logger: logger, RaftLogOutput: out,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		st.RegisterSelf(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return st, withOperatorToken(dataDir, httpapi.New(st, noAgents{}, logger, opts...))
}

// withOperatorToken sends the node's operator token (written when it
// initialises the cluster) with every request that carries none.
func withOperatorToken(dataDir string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			if b, err := os.ReadFile(filepath.Join(dataDir, cluster.OperatorTokenFile)); err == nil {
				r.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(b)))
			}
		}
		h.ServeHTTP(w, r)
	})
}

// mustNode is a bootstrapped single-node hub that leads and is ready.
func mustNode(t testing.TB, opts ...httpapi.Option) (*store.Store, http.Handler) {
	t.Helper()
	st, h := mustOpen(t, true, opts...)
	eventually(t, waitTimeout, func() error {
		if !st.IsLeader() || !st.Ready() {
			return errors.New("not leader and ready yet")
		}
		return nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := st.InitCluster(ctx); err != nil {
		t.Fatal(err)
	}
	return st, h
}

// serve sends one request to h and returns the recorded answer.
func serve(t testing.TB, h http.Handler, method, target string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	return serveWithin(t, waitTimeout, h, method, target, body)
}

// serveWithin is serve with a deadline on the request's context.
func serveWithin(t testing.TB, timeout time.Duration, h http.Handler, method, target string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// answer is the union of the API's JSON answers the tests read.
type answer struct {
	Error     string            `json:"error"`
	Field     string            `json:"field"`
	Reason    string            `json:"reason"`
	Results   []protocol.Result `json:"results"`
	Customers []json.RawMessage `json:"customers"`
	Status    string            `json:"status"`
}

// decode reads a JSON answer, failing the test if it is not JSON.
func decode(t testing.TB, rec *httptest.ResponseRecorder) answer {
	t.Helper()
	var a answer
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatalf("answer %d is not JSON: %v: %q", rec.Code, err, rec.Body.String())
	}
	return a
}

// eventJSON is a valid web event; fields overrides or adds top-level
// fields (a nil value removes one).
func eventJSON(id string, fields map[string]any) map[string]any {
	e := map[string]any{
		"id": id, "channel": "web", "type": "page_view",
		"occurred_at": "2026-11-02T18:22:05Z", "source": "web:zot.example",
		"customer": map[string]any{"email": id + "@example.com"},
	}
	for k, v := range fields {
		if v == nil {
			delete(e, k)
		} else {
			e[k] = v
		}
	}
	return e
}

// mustJSON encodes v.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// batch is {"events": [...]}.
func batch(events ...any) map[string]any { return map[string]any{"events": events} }

// statuses lists "status" or "status field" for each result.
func statuses(results []protocol.Result) []string {
	var out []string
	for _, r := range results {
		s := r.Status
		if r.Field != "" {
			s += " " + r.Field
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}
