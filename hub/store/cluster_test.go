package store_test

// An in-process cluster harness in the spirit of hashicorp/raft's
// MakeCluster: every node is a real store.Store (Badger state and Raft
// log in a temporary directory, Raft over TCP on 127.0.0.1) behind a real HTTP
// server running httpapi, so followers forward writes to the leader just
// as in production. Set TOUCHPOINT_TEST_LOG=1 to see the nodes' logs.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/fleet"
	"github.com/touchpoint/touchpoint/hub/httpapi"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/hub/store"
	"github.com/touchpoint/touchpoint/systemtest/freeport"
)

// waitTimeout bounds every wait for the cluster to settle.
const waitTimeout = 20 * time.Second

// cluster is a set of hub nodes in this process.
type cluster struct {
	t     *testing.T
	nodes []*node
}

// node is one hub node; st is nil while it is stopped.
type node struct {
	cfg          store.Config
	st           *store.Store
	srv          *http.Server
	stopRegister context.CancelFunc
	registerDone chan struct{}
}

// noAgents is a hub without connected agents.
type noAgents struct{}

func (noAgents) Health() map[string]fleet.Report { return nil }

// testLogOutput is where nodes log: nowhere, unless asked.
func testLogOutput() io.Writer {
	if os.Getenv("TOUCHPOINT_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}

func freeAddr(t *testing.T) string {
	t.Helper()
	addr, err := freeport.TCP()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// newCluster starts n nodes: node 0 bootstraps, the others join through
// the leader, and it returns once every node knows the leader, has
// registered its addresses and is ready.
func newCluster(t *testing.T, n int) *cluster {
	t.Helper()
	c := &cluster{t: t}
	for i := range n {
		out := testLogOutput()
		c.nodes = append(c.nodes, &node{cfg: store.Config{
			NodeID: fmt.Sprintf("node%d", i), DataDir: t.TempDir(),
			RaftAddr: freeAddr(t), HTTPAddr: freeAddr(t), AgentAddr: freeAddr(t),
			Region: "US", Bootstrap: i == 0, RaftLogOutput: out,
			Logger: slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug})).With("node", i),
		}})
	}
	// Registered after the t.TempDir calls, so it runs before their removal.
	t.Cleanup(c.close)
	c.start(0)
	initCtx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := c.nodes[0].st.InitCluster(initCtx); err != nil {
		t.Fatalf("initialise cluster: %v", err)
	}
	for i := 1; i < n; i++ {
		c.start(i)
		joining := c.nodes[i].st.Node()
		eventually(t, waitTimeout, func() error {
			leader := waitForLeader(t, c.nodes[:i]...).st
			if err := giveNodeCert(leader, c.nodes[i].st); err != nil {
				return err
			}
			return leader.Join(writeContext(t), joining)
		})
	}
	c.waitSettled()
	return c
}

// start opens node i with its configuration, serves its HTTP API and
// keeps its addresses registered, as `touchpoint-hub serve` does.
func (c *cluster) start(i int) {
	c.t.Helper()
	n := c.nodes[i]
	if n.st != nil {
		c.t.Fatalf("node %d is already running", i)
	}
	ln, err := net.Listen("tcp", n.cfg.HTTPAddr)
	if err != nil {
		c.t.Fatalf("node %d: listen for HTTP: %v", i, err)
	}
	st, err := store.Open(n.cfg)
	if err != nil {
		ln.Close()
		c.t.Fatalf("node %d: open store: %v", i, err)
	}
	n.st = st
	n.srv = &http.Server{
		Handler:           httpapi.New(st, noAgents{}, n.cfg.Logger),
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          log.New(testLogOutput(), "", 0),
	}
	go func() { _ = n.srv.Serve(ln) }()
	ctx, cancel := context.WithCancel(context.Background())
	n.stopRegister, n.registerDone = cancel, make(chan struct{})
	go func() {
		defer close(n.registerDone)
		st.RegisterSelf(ctx)
	}()
}

// stop closes node i as a crash would look to its peers: Raft, HTTP and
// its state go away; its data directory and addresses stay for a restart.
func (c *cluster) stop(i int) {
	c.t.Helper()
	n := c.nodes[i]
	if n.st == nil {
		return
	}
	n.stopRegister()
	select {
	case <-n.registerDone:
	case <-time.After(waitTimeout):
		c.t.Errorf("node %d: RegisterSelf did not return", i)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := n.srv.Shutdown(ctx); err != nil {
		_ = n.srv.Close()
	}
	if err := n.st.Close(); err != nil {
		c.t.Errorf("node %d: close: %v", i, err)
	}
	n.st = nil
}

// close stops every node still running.
func (c *cluster) close() {
	for i := len(c.nodes) - 1; i >= 0; i-- {
		c.stop(i)
	}
}

// running lists the nodes that are up.
func (c *cluster) running() []*node {
	var out []*node
	for _, n := range c.nodes {
		if n.st != nil {
			out = append(out, n)
		}
	}
	return out
}

// leader waits for the running nodes to agree on a leader and returns it.
func (c *cluster) leader() *node {
	c.t.Helper()
	return waitForLeader(c.t, c.running()...)
}

// follower returns a running node that is not the leader.
func (c *cluster) follower() *node {
	c.t.Helper()
	leader := c.leader()
	for _, n := range c.running() {
		if n != leader {
			return n
		}
	}
	c.t.Fatal("no follower is running")
	return nil
}

// index returns n's position in the cluster.
func (c *cluster) index(n *node) int {
	for i, m := range c.nodes {
		if m == n {
			return i
		}
	}
	panic("node not in cluster")
}

// waitSettled waits until every running node agrees on the leader, knows
// every node's addresses and is ready.
func (c *cluster) waitSettled() {
	c.t.Helper()
	c.leader()
	eventually(c.t, waitTimeout, func() error {
		for _, n := range c.running() {
			if got := len(n.st.Nodes()); got != len(c.nodes) {
				return fmt.Errorf("%s knows %d nodes, want %d", n.cfg.NodeID, got, len(c.nodes))
			}
			if !n.st.Ready() {
				return fmt.Errorf("%s is not ready", n.cfg.NodeID)
			}
		}
		return nil
	})
}

// waitForLeader waits until exactly one of nodes leads and all of them
// name it as leader, and returns it.
func waitForLeader(t *testing.T, nodes ...*node) *node {
	t.Helper()
	var leader *node
	eventually(t, waitTimeout, func() error {
		leader = nil
		for _, n := range nodes {
			if n.st.IsLeader() {
				if leader != nil {
					return errors.New("two leaders")
				}
				leader = n
			}
		}
		if leader == nil {
			return errors.New("no leader")
		}
		for _, n := range nodes {
			if id := n.st.Status().LeaderID; id != leader.cfg.NodeID {
				return fmt.Errorf("%s follows %q, not %s", n.cfg.NodeID, id, leader.cfg.NodeID)
			}
		}
		return nil
	})
	return leader
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

// writeContext bounds one write, retries across leader changes included.
func writeContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), waitTimeout)
	t.Cleanup(cancel)
	return ctx
}

// mustIngest commits events through n and returns their results.
func mustIngest(t *testing.T, n *node, events ...customer.Event) []string {
	t.Helper()
	for i := range events {
		if err := events[i].Validate(); err != nil {
			t.Fatalf("test event %s: %v", events[i].ID, err)
		}
	}
	res, err := n.st.Ingest(writeContext(t), events)
	if err != nil {
		t.Fatalf("ingest through %s: %v", n.cfg.NodeID, err)
	}
	if len(res) != len(events) {
		t.Fatalf("%d results for %d events", len(res), len(events))
	}
	out := make([]string, len(res))
	for i, r := range res {
		if r.ID != events[i].ID {
			t.Fatalf("result %d is for %q, want %q", i, r.ID, events[i].ID)
		}
		out[i] = r.Status + " " + r.CustomerID
	}
	return out
}

// mustApply commits one command through n.
func mustApply(t *testing.T, n *node, typ state.CommandType, body any) {
	t.Helper()
	if _, err := n.st.ApplyOne(writeContext(t), typ, body); err != nil {
		t.Fatalf("apply command %d through %s: %v", typ, n.cfg.NodeID, err)
	}
}

// waitForProfile waits until every running node answers q with exactly
// one profile holding wantEvents events, and returns the profiles.
func (c *cluster) waitForProfile(q state.Query, wantEvents int) []customer.Profile {
	c.t.Helper()
	var out []customer.Profile
	eventually(c.t, waitTimeout, func() error {
		out = out[:0]
		for _, n := range c.running() {
			found := n.st.Search(q)
			if len(found) != 1 {
				return fmt.Errorf("%s finds %d profiles for %+v", n.cfg.NodeID, len(found), q)
			}
			if got := len(found[0].Events); got != wantEvents {
				return fmt.Errorf("%s: profile %s holds %d events, want %d", n.cfg.NodeID, found[0].CustomerID, got, wantEvents)
			}
			out = append(out, found[0])
		}
		return nil
	})
	return out
}

// webEvent is a valid web event with the given identity hints.
func webEvent(id string, hints customer.Hints) customer.Event {
	return customer.Event{
		ID: id, Channel: "web", Type: "page_view", Source: "web:zot.example",
		OccurredAt: time.Date(2026, 11, 2, 18, 22, 5, 0, time.UTC), Customer: hints,
	}
}

// dealerEvent is a showroom visit recorded at dealer.
func dealerEvent(id, dealer string, hints customer.Hints) customer.Event {
	e := webEvent(id, hints)
	e.Channel, e.Type, e.Source = "showroom", "showroom_visit", "dealer:"+dealer
	return e
}

// The harness itself: three nodes, one leader, everyone registered.
func TestCluster_HarnessFormsThreeNodeCluster(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3)
	leader := c.leader()
	peers, err := leader.st.Peers()
	if err != nil {
		t.Fatal(err)
	}
	if len(peers) != 3 {
		t.Fatalf("%d peers: %+v", len(peers), peers)
	}
	for _, p := range peers {
		if p.Suffrage != "Voter" || p.Node == nil || p.Node.HTTPAddr == "" {
			t.Errorf("peer %+v", p)
		}
	}
	for _, n := range c.nodes {
		if addr, ok := n.st.LeaderHTTP(); !ok || addr != leader.cfg.HTTPAddr {
			t.Errorf("%s: leader HTTP %q, %v", n.cfg.NodeID, addr, ok)
		}
	}
}

// giveNodeCert does what `serve --join` does over HTTP: the joining node
// asks a member to sign its Raft certificate.
func giveNodeCert(member, joining *store.Store) error {
	csr, err := joining.Member().CSR()
	if err != nil {
		return err
	}
	cert, caCert, err := member.Member().IssueNodeCert(joining.Node().ID, csr)
	if err != nil {
		return err
	}
	return joining.Member().InstallNodeCert(cert, caCert)
}
