package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// cluster is a hub of hub processes on 127.0.0.1.
type cluster struct {
	nodes []*proc.HubNode
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
		id := fmt.Sprintf("hub%d", i+1)
		node, err := proc.NewHubNode(id, filepath.Join(dir, id))
		if err != nil {
			c.stop()
			return nil, err
		}
		args := node.ServeArgs()
		if profiling {
			node.Pprof = freeTCP()
			args = append(args, "--pprof-addr", node.Pprof)
		}
		if i == 0 {
			args = append(args, "--bootstrap")
		} else {
			args = append(args, "--join", c.nodes[0].HTTP)
		}
		if node.Proc, err = startProc(dir, node.ID, proc.HubBinary, c.env(), args...); err != nil {
			c.stop()
			return nil, err
		}
		c.nodes = append(c.nodes, node)
		if i == 0 {
			if c.token, err = node.ReadOperatorToken(30 * time.Second); err != nil {
				c.stop()
				return nil, err
			}
		}
		if err := node.WaitReady(c.get, i+1, 60*time.Second); err != nil {
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
		n.Stop()
	}
}

// leader returns the node that leads now.
func (c *cluster) leader() (*proc.HubNode, error) { return proc.Leader(c.nodes, c.get, 30*time.Second) }

// addDealer registers a dealer whose market is the postcode prefixes.
func (c *cluster) addDealer(id string, market ...string) error {
	d := map[string]any{"id": id, "name": id, "market": market, "country": "US"}
	if err := c.call("POST", c.nodes[0].URL("/v1/dealers"), d, nil); err != nil {
		return err
	}
	for _, n := range c.nodes {
		err := proc.WaitFor(30*time.Second, "dealer "+id+" at "+n.ID, func() error {
			var out struct{ Dealers []struct{ ID string } }
			if err := c.call("GET", n.URL("/v1/dealers"), nil, &out); err != nil {
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
	err := c.call("POST", c.nodes[0].URL("/v1/tokens"), map[string]string{"dealer": dealer}, &out)
	return out.Token, err
}

// call sends body as JSON (raw bytes as they are) with the operator
// token and decodes a 2xx answer into out.
func (c *cluster) call(method, url string, body, out any) error {
	return callWith(c.token, method, url, body, out)
}

// get is a GET with the operator token, for proc's waits.
func (c *cluster) get(url string, out any) error { return c.call("GET", url, nil, out) }

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
