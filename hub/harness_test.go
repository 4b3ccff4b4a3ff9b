package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/agent/hublink"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/internal/cli"
	"github.com/touchpoint/touchpoint/internal/cli/clitest"
	"github.com/touchpoint/touchpoint/systemtest/freeport"
)

// testNode is a one-node hub serving in this process, with
// TOUCHPOINT_HUB_ADDR and TOUCHPOINT_TOKEN set for the commands to reach it.
type testNode struct {
	t         *testing.T
	http      string // host:port of the HTTP API
	agentAddr string // host:port of the agent link (QUIC)
	token     string // the operator token
}

// mustServe bootstraps a node with `serve`'s own code on free loopback
// ports and stops it when the test ends.
func mustServe(t *testing.T) *testNode {
	t.Helper()
	n := &testNode{t: t, http: mustPort(t), agentAddr: mustPort(t)}
	c := serveConfig{NodeID: "hub1", DataDir: filepath.Join(t.TempDir(), "hub1"), Bootstrap: true,
		RaftAddr: mustPort(t), AgentAddr: n.agentAddr, HTTPAddr: n.http, DefaultRegion: "US",
		MaxPerKind: 5, SharedLimit: 4, SilentAfter: time.Minute, SnapshotThreshold: 8192, TrailingLogs: 10240,
		SnapshotInterval: time.Minute, RateBurst: 1}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, c, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	eventually(t, 30*time.Second, "node ready with an operator token", func() bool {
		b, err := os.ReadFile(filepath.Join(c.DataDir, "operator.token"))
		if err != nil {
			return false
		}
		n.token = strings.TrimSpace(string(b))
		resp, err := http.Get("http://" + n.http + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	t.Setenv("TOUCHPOINT_HUB_ADDR", "http://"+n.http)
	t.Setenv("TOUCHPOINT_TOKEN", n.token)
	return n
}

// cli runs a command against the node and returns what it printed; it
// must succeed.
func (n *testNode) cli(args ...string) string {
	n.t.Helper()
	var code int
	out, err := clitest.CaptureStdout(func() { code = program.Run(args) })
	if err != nil || code != cli.ExitOK {
		n.t.Fatalf("touchpoint-hub %s: exit %d, %v\n%s", strings.Join(args, " "), code, err, out)
	}
	return out
}

// sampleData gives every listing something to list: dealer D-1 with an
// enrolled agent, customer merged from two (returned), two people alike
// enough to be a match candidate, and an erased customer (returned).
func (n *testNode) sampleData() (merged, erased string) {
	n.t.Helper()
	n.cli("dealer", "add", "D-1", "--name", "Test Motors", "--market", "606")
	token := strings.TrimSpace(n.cli("token", "create", "--dealer", "D-1"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := hublink.Enroll(ctx, n.agentAddr, token); err != nil {
		n.t.Fatalf("enrol an agent: %v", err)
	}
	at := time.Date(2026, 11, 2, 18, 0, 0, 0, time.UTC)
	event := func(id, source string, h customer.Hints) customer.Event {
		at = at.Add(time.Minute)
		return customer.Event{ID: id, Channel: "web", Type: "page_view", OccurredAt: at, Source: source, Customer: h}
	}
	home := &customer.Address{Line1: "2150 W Division St", City: "Chicago", PostalCode: "60622", Country: "US"}
	n.post(
		event("m-1", "web:zot.example", customer.Hints{Email: "ann@example.com", GivenName: "Ann"}),
		event("m-2", "web:zot.example", customer.Hints{Phone: "312 555 0100"}),
		event("m-3", "web:zot.example", customer.Hints{Email: "ann@example.com", Phone: "312 555 0100"}),
		event("c-1", "import:dms", customer.Hints{GivenName: "Marek", FamilyName: "Kowalczyk", BirthDate: "1979-06-23",
			Address: home, Phone: "773 555 0199"}),
		event("c-2", "web:zot.example", customer.Hints{GivenName: "Mark", FamilyName: "Kowalczyk", BirthDate: "1979-06-23",
			Address: home, Email: "mark.k@example.net"}),
		event("e-1", "web:zot.example", customer.Hints{Email: "gone@example.com", GivenName: "Zdenka"}),
	)
	merged, erased = n.customerID("email", "ann@example.com"), n.customerID("email", "gone@example.com")
	n.cli("erase", erased)
	return merged, erased
}

// post sends events to the node's ingest API.
func (n *testNode) post(events ...customer.Event) {
	n.t.Helper()
	c := newAPIClient(n.http, n.token, "")
	if err := c.do(context.Background(), http.MethodPost, "/v1/events", map[string]any{"events": events}, nil); err != nil {
		n.t.Fatalf("post events: %v", err)
	}
}

// customerID finds the one customer with identifier field=value.
func (n *testNode) customerID(field, value string) string {
	n.t.Helper()
	var out struct {
		Customers []customer.Profile `json:"customers"`
	}
	c := newAPIClient(n.http, n.token, "")
	if err := c.do(context.Background(), http.MethodGet, "/v1/customers?"+field+"="+value, nil, &out); err != nil || len(out.Customers) != 1 {
		n.t.Fatalf("customer with %s %s: %v, %d found", field, value, err, len(out.Customers))
	}
	return out.Customers[0].CustomerID
}

func mustPort(t *testing.T) string {
	t.Helper()
	addr, err := freeport.TCP()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// eventually retries ok until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !ok(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %s", what, timeout)
		}
	}
}
