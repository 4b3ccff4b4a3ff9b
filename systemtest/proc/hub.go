package proc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/touchpoint/touchpoint/systemtest/freeport"
)

// HubNode is one hub node process and its addresses on 127.0.0.1.
type HubNode struct {
	*Proc
	ID, Dir string // node id and data directory
	// Listen addresses: Raft (TCP), the HTTP API (TCP), agents (QUIC, UDP).
	Raft, HTTP, Agent string
	Pprof             string // --pprof-addr, when its starter asked for one
}

// NewHubNode picks free addresses for node id with its data in dir. It
// starts nothing: run ServeArgs, with --bootstrap or --join added.
func NewHubNode(id, dir string) (*HubNode, error) {
	raft, err1 := freeport.TCP()
	http, err2 := freeport.TCP()
	agent, err3 := freeport.UDP()
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, err
	}
	return &HubNode{ID: id, Dir: dir, Raft: raft, HTTP: http, Agent: agent}, nil
}

// ServeArgs are the arguments that serve the node: its id, data
// directory and addresses.
func (n *HubNode) ServeArgs() []string {
	return []string{"serve", "--node-id", n.ID, "--data-dir", n.Dir,
		"--raft-addr", n.Raft, "--http-addr", n.HTTP, "--agent-addr", n.Agent}
}

// URL is path on the node's HTTP API.
func (n *HubNode) URL(path string) string { return "http://" + n.HTTP + path }

// Getter reads the JSON answer to a GET of url into out (nil: only a 2xx
// status matters), with the caller's client and credentials.
type Getter func(url string, out any) error

// WaitReady waits up to timeout until the node answers /readyz and its
// /v1/status lists peers voters.
func (n *HubNode) WaitReady(get Getter, peers int, timeout time.Duration) error {
	return WaitFor(timeout, n.ID+" ready", func() error {
		if err := get(n.URL("/readyz"), nil); err != nil {
			return err
		}
		var st struct{ Peers []struct{ ID string } }
		if err := get(n.URL("/v1/status"), &st); err != nil {
			return err
		}
		if len(st.Peers) != peers {
			return fmt.Errorf("%d peers, want %d", len(st.Peers), peers)
		}
		return nil
	})
}

// ReadOperatorToken waits up to timeout for a bootstrapping node to write
// the first operator token, and returns it.
func (n *HubNode) ReadOperatorToken(timeout time.Duration) (string, error) {
	var token string
	err := WaitFor(timeout, "operator token written", func() error {
		b, err := os.ReadFile(filepath.Join(n.Dir, "operator.token"))
		if err != nil {
			return err
		}
		if token = strings.TrimSpace(string(b)); token == "" {
			return errors.New("operator token file is empty")
		}
		return nil
	})
	return token, err
}

// Leader waits up to timeout for a live node to report a leader among
// nodes, and returns it.
func Leader(nodes []*HubNode, get Getter, timeout time.Duration) (*HubNode, error) {
	var found *HubNode
	err := WaitFor(timeout, "a leader", func() error {
		for _, n := range nodes {
			var st struct {
				LeaderID string `json:"leader_id"`
			}
			if get(n.URL("/v1/status"), &st) != nil || st.LeaderID == "" {
				continue
			}
			for _, m := range nodes {
				if m.ID == st.LeaderID {
					found = m
					return nil
				}
			}
		}
		return errors.New("no node reports a leader")
	})
	return found, err
}
