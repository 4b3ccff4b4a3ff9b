package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// hubNode is one hub process and its addresses.
type hubNode struct {
	*proc
	id, dir, raft, http, agent string
	pprof                      string // --pprof-addr, when profiling
}

func (n *hubNode) url(path string) string { return "http://" + n.http + path }

// cluster is a hub of hub processes on 127.0.0.1.
type cluster struct {
	nodes []*hubNode
	token string // operator token
	dir   string
}

// httpClient is shared by every call, with enough idle connections for
// 64 concurrent writers.
var httpClient = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
	MaxIdleConns: 256, MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256,
}}

// startCluster starts n hub nodes: the first bootstraps, the others join.
// With profiling, every node serves pprof on its own loopback port.
func startCluster(dir string, n int, profiling bool) (*cluster, error) {
	c := &cluster{dir: dir}
	for i := range n {
		node := &hubNode{id: fmt.Sprintf("hub%d", i+1), raft: freeTCP(), http: freeTCP(), agent: freeUDP()}
		node.dir = filepath.Join(dir, node.id)
		args := []string{"serve", "--node-id", node.id, "--data-dir", node.dir,
			"--raft-addr", node.raft, "--http-addr", node.http, "--agent-addr", node.agent}
		if profiling {
			node.pprof = freeTCP()
			args = append(args, "--pprof-addr", node.pprof)
		}
		if i == 0 {
			args = append(args, "--bootstrap")
		} else {
			args = append(args, "--join", c.nodes[0].http)
		}
		p, err := startProc(dir, node.id, "touchpoint-hub", c.env(), args...)
		if err != nil {
			c.stop()
			return nil, err
		}
		node.proc = p
		c.nodes = append(c.nodes, node)
		if i == 0 {
			if err := c.readOperatorToken(node); err != nil {
				c.stop()
				return nil, err
			}
		}
		if err := c.waitReady(node, i+1); err != nil {
			c.stop()
			return nil, err
		}
	}
	return c, nil
}

// env gives hub commands the operator token once it is known.
func (c *cluster) env() []string {
	if c.token == "" {
		return nil
	}
	return []string{"TOUCHPOINT_TOKEN=" + c.token}
}

func (c *cluster) stop() {
	for _, n := range c.nodes {
		n.stop()
	}
}

func (c *cluster) readOperatorToken(node *hubNode) error {
	return waitFor(30*time.Second, "operator token written", func() error {
		b, err := os.ReadFile(filepath.Join(node.dir, "operator.token"))
		if err != nil {
			return err
		}
		c.token = strings.TrimSpace(string(b))
		return nil
	})
}

func (c *cluster) waitReady(node *hubNode, peers int) error {
	return waitFor(60*time.Second, node.id+" ready", func() error {
		if err := c.call("GET", node.url("/readyz"), nil, nil); err != nil {
			return err
		}
		var st struct{ Peers []struct{ ID string } }
		if err := c.call("GET", node.url("/v1/status"), nil, &st); err != nil {
			return err
		}
		if len(st.Peers) != peers {
			return fmt.Errorf("%d peers, want %d", len(st.Peers), peers)
		}
		return nil
	})
}

// leader returns the node that leads now.
func (c *cluster) leader() (*hubNode, error) {
	var found *hubNode
	err := waitFor(30*time.Second, "a leader", func() error {
		for _, n := range c.nodes {
			var st struct {
				LeaderID string `json:"leader_id"`
			}
			if c.call("GET", n.url("/v1/status"), nil, &st) != nil {
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
	return found, err
}

// addDealer registers a dealer whose market is the postcode prefixes.
func (c *cluster) addDealer(id string, market ...string) error {
	d := map[string]any{"id": id, "name": id, "market": market, "country": "US"}
	if err := c.call("POST", c.nodes[0].url("/v1/dealers"), d, nil); err != nil {
		return err
	}
	for _, n := range c.nodes {
		err := waitFor(30*time.Second, "dealer "+id+" at "+n.id, func() error {
			var out struct{ Dealers []struct{ ID string } }
			if err := c.call("GET", n.url("/v1/dealers"), nil, &out); err != nil {
				return err
			}
			for _, got := range out.Dealers {
				if got.ID == id {
					return nil
				}
			}
			return fmt.Errorf("not applied yet")
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// enrolmentToken creates a one-time enrolment token for dealer.
func (c *cluster) enrolmentToken(dealer string) (string, error) {
	var out struct{ Token string }
	err := c.call("POST", c.nodes[0].url("/v1/tokens"), map[string]string{"dealer": dealer}, &out)
	return out.Token, err
}

// call sends body as JSON (raw bytes as they are) with the operator
// token and decodes a 2xx answer into out.
func (c *cluster) call(method, url string, body, out any) error {
	return callWith(c.token, method, url, body, out)
}

func callWith(token, method, url string, body, out any) error {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %.300s", method, url, resp.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}
