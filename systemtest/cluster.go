package systemtest

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// Cluster is a hub of nodes as processes, started for one test.
type Cluster struct {
	t     testing.TB
	Nodes []*proc.HubNode
	Token string // operator token
}

// StartCluster starts n hub nodes, extra added to each one's serve
// arguments: the first bootstraps, the others join it; it returns once
// every node sees all n peers and is ready.
func StartCluster(t testing.TB, n int, extra ...string) *Cluster {
	t.Helper()
	c := &Cluster{t: t}
	for i := range n {
		node := MustHubNode(t, fmt.Sprintf("hub%d", i+1))
		args := append(node.ServeArgs(), extra...)
		if i == 0 {
			args = append(args, "--bootstrap")
		} else {
			args = append(args, "--join", c.Nodes[0].HTTP)
		}
		node.Proc = StartProc(t, node.ID, nil, "touchpoint-hub", args...)
		c.Nodes = append(c.Nodes, node)
		if i == 0 {
			c.ReadOperatorToken(node)
		}
		SetToken(node.HTTP, c.Token)
		c.WaitReady(node, i+1)
	}
	return c
}

// MustHubNode picks addresses for node id, with its data in a temporary
// directory of the test; it starts nothing.
func MustHubNode(t testing.TB, id string) *proc.HubNode {
	t.Helper()
	n, err := proc.NewHubNode(id, filepath.Join(t.TempDir(), id))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// ReadOperatorToken waits for the bootstrapping node to write the first
// operator token, and hands it to every later command and call.
func (c *Cluster) ReadOperatorToken(node *proc.HubNode) {
	c.t.Helper()
	token, err := node.ReadOperatorToken(30 * time.Second)
	if err != nil {
		c.t.Fatal(err)
	}
	c.Token = token
	setOperatorToken(token)
}

// WaitReady waits until node is ready and sees peers voters.
func (c *Cluster) WaitReady(node *proc.HubNode, peers int) {
	c.t.Helper()
	if err := node.WaitReady(get, peers, 30*time.Second); err != nil {
		c.t.Fatal(err)
	}
}

// Leader returns the node that currently leads, as a live node reports it.
func (c *Cluster) Leader() *proc.HubNode {
	c.t.Helper()
	n, err := proc.Leader(c.Nodes, get, 30*time.Second)
	if err != nil {
		c.t.Fatal(err)
	}
	return n
}

// AddDealer registers a dealer whose market is one postcode prefix.
func (c *Cluster) AddDealer(id, market string) {
	c.t.Helper()
	Run(c.t, "touchpoint-hub", "dealer", "add", id, "--name", id, "--market", market, "--addr", c.Nodes[0].HTTP)
}

// PostEvents ingests events over HTTP at node and returns the statuses.
func (c *Cluster) PostEvents(node *proc.HubNode, events ...customer.Event) []string {
	c.t.Helper()
	var out struct {
		Results []struct{ Status string }
	}
	if err := Call("POST", node.URL("/v1/events"), map[string]any{"events": events}, &out); err != nil {
		c.t.Fatalf("post events: %v", err)
	}
	var statuses []string
	for _, r := range out.Results {
		statuses = append(statuses, r.Status)
	}
	return statuses
}
