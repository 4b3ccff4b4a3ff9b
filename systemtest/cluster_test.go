package systemtest

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// hubNode is one hub process and its addresses.
type hubNode struct {
	*proc
	id, dir, raft, http, agent string
}

func (n *hubNode) url(path string) string { return "http://" + n.http + path }

// hubCluster is a hub of n nodes as processes.
type hubCluster struct {
	t     *testing.T
	nodes []*hubNode
	token string // operator token
}

// startCluster starts n hub nodes: the first bootstraps, the others join
// it; it returns once every node sees all n peers and is ready.
func startCluster(t *testing.T, n int, extra ...string) *hubCluster {
	t.Helper()
	c := &hubCluster{t: t}
	for i := range n {
		node := &hubNode{id: fmt.Sprintf("hub%d", i+1), raft: freeTCP(t), http: freeTCP(t), agent: freeUDP(t)}
		node.dir = filepath.Join(t.TempDir(), node.id)
		args := []string{"serve", "--node-id", node.id, "--data-dir", node.dir,
			"--raft-addr", node.raft, "--http-addr", node.http, "--agent-addr", node.agent}
		args = append(args, extra...)
		if i == 0 {
			args = append(args, "--bootstrap")
		} else {
			args = append(args, "--join", c.nodes[0].http)
		}
		node.proc = startProc(t, node.id, "touchpoint-hub", args...)
		c.nodes = append(c.nodes, node)
		if i == 0 {
			c.readOperatorToken(node)
		}
		setToken(node.http, c.token)
		c.waitReady(node, i+1)
	}
	return c
}

// readOperatorToken waits for the bootstrapping node to write the first
// operator token, and hands it to every later command and call.
func (c *hubCluster) readOperatorToken(node *hubNode) {
	c.t.Helper()
	eventually(c.t, 30*time.Second, "operator token written", func() error {
		b, err := os.ReadFile(filepath.Join(node.dir, "operator.token"))
		if err != nil {
			return err
		}
		if c.token = strings.TrimSpace(string(b)); c.token == "" {
			return errors.New("operator token file is empty")
		}
		return nil
	})
	setOperatorToken(c.token)
}

// waitReady waits until node is ready and sees peers voters.
func (c *hubCluster) waitReady(node *hubNode, peers int) {
	c.t.Helper()
	eventually(c.t, 30*time.Second, node.id+" ready", func() error {
		if err := call("GET", node.url("/readyz"), nil, nil); err != nil {
			return err
		}
		var st struct{ Peers []struct{ ID string } }
		if err := call("GET", node.url("/v1/status"), nil, &st); err != nil {
			return err
		}
		if len(st.Peers) != peers {
			return fmt.Errorf("%d peers, want %d", len(st.Peers), peers)
		}
		return nil
	})
}

// leader returns the node that currently leads, as a live node reports it.
func (c *hubCluster) leader() *hubNode {
	c.t.Helper()
	var found *hubNode
	eventually(c.t, 30*time.Second, "a leader", func() error {
		for _, n := range c.nodes {
			var st struct {
				LeaderID string `json:"leader_id"`
			}
			if call("GET", n.url("/v1/status"), nil, &st) != nil || st.LeaderID == "" {
				continue
			}
			for _, m := range c.nodes {
				if m.id == st.LeaderID {
					found = m
					return nil
				}
			}
		}
		return fmt.Errorf("no node reports a leader")
	})
	return found
}

func (c *hubCluster) addDealer(id, market string) {
	c.t.Helper()
	run(c.t, "touchpoint-hub", "dealer", "add", id, "--name", id, "--market", market, "--addr", c.nodes[0].http)
}

// postEvents ingests events over HTTP at node and returns the statuses.
func (c *hubCluster) postEvents(node *hubNode, events ...customer.Event) []string {
	c.t.Helper()
	var out struct {
		Results []struct{ Status string }
	}
	if err := call("POST", node.url("/v1/events"), map[string]any{"events": events}, &out); err != nil {
		c.t.Fatalf("post events: %v", err)
	}
	var statuses []string
	for _, r := range out.Results {
		statuses = append(statuses, r.Status)
	}
	return statuses
}

// search asks node for the profiles matching one query parameter.
func search(node string, param, value string) ([]customer.Profile, error) {
	var out struct{ Customers []customer.Profile }
	err := call("GET", node+"/v1/customers?"+param+"="+url.QueryEscape(value), nil, &out)
	return out.Customers, err
}

// agentProc is one dealer agent process.
type agentProc struct {
	*proc
	dealer, dir, http string
}

func (a *agentProc) url(path string) string { return "http://" + a.http + path }

// startAgent enrols an agent for dealer at the first hub node and runs it.
func (c *hubCluster) startAgent(dealer string) *agentProc {
	c.t.Helper()
	return c.startPinnedAgent(dealer, nil)
}

// startPinnedAgent is startAgent with the agent's hub addresses pinned,
// e.g. to proxies (see TOUCHPOINT_HUB_ADDRS); nil leaves them to the hub.
func (c *hubCluster) startPinnedAgent(dealer string, hubs []string) *agentProc {
	t := c.t
	t.Helper()
	token := strings.TrimSpace(run(t, "touchpoint-hub", "token", "create", "--dealer", dealer, "--addr", c.nodes[0].http))
	a := &agentProc{dealer: dealer, dir: filepath.Join(t.TempDir(), dealer), http: freeTCP(t)}
	run(t, "touchpoint-agent", "enroll", "--hub", c.nodes[0].agent, "--token", token, "--data-dir", a.dir)
	if admin, err := os.ReadFile(filepath.Join(a.dir, "admin.token")); err == nil {
		setToken(a.http, strings.TrimSpace(string(admin)))
	}
	args := []string{"run", "--data-dir", a.dir, "--http-addr", a.http}
	if hubs == nil {
		a.proc = startProc(t, "agent-"+dealer, "touchpoint-agent", args...)
	} else {
		a.proc = startProcEnv(t, "agent-"+dealer, []string{"TOUCHPOINT_HUB_ADDRS=" + strings.Join(hubs, ",")}, "touchpoint-agent", args...)
	}
	eventually(t, 30*time.Second, dealer+" agent connected", func() error {
		if st := a.syncStatus(); !st.Hub.Connected {
			return fmt.Errorf("not connected: %s", st.Hub.LastError)
		}
		return nil
	})
	return a
}

// record records an event at the agent; it returns once the agent
// acknowledged it (committed locally).
func (a *agentProc) record(e customer.Event) string {
	var out struct {
		Results []struct{ Status string }
	}
	if err := call("POST", a.url("/v1/events"), e, &out); err != nil {
		a.t.Fatalf("record at %s: %v", a.dealer, err)
	}
	return out.Results[0].Status
}

// cached searches only the agent's local cache (no read-through).
func (a *agentProc) cached(param, value string) ([]customer.Profile, error) {
	var out struct{ Customers []customer.Profile }
	err := call("GET", a.url("/v1/customers?local=true&"+param+"="+url.QueryEscape(value)), nil, &out)
	return out.Customers, err
}

type syncStatus struct {
	OutboxLen int    `json:"outbox_len"`
	Cursor    uint64 `json:"cursor"`
	Profiles  int    `json:"profiles"`
	Hub       struct {
		Connected bool   `json:"connected"`
		LastError string `json:"last_error"`
	} `json:"hub"`
}

func (a *agentProc) syncStatus() syncStatus {
	var st syncStatus
	_ = call("GET", a.url("/v1/sync"), nil, &st)
	return st
}

// hasEvent reports whether one of profiles holds the event with id.
func hasEvent(profiles []customer.Profile, id string) error {
	for _, p := range profiles {
		for _, e := range p.Events {
			if e.ID == id {
				return nil
			}
		}
	}
	return fmt.Errorf("event %s not in %d profiles", id, len(profiles))
}
