package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// agentClient talks to the running agent's local API.
type agentClient struct {
	base, token string
}

// clientFlags adds --addr, --token and --data-dir to fs.
func clientFlags(fs *pflag.FlagSet) func() *agentClient {
	addr := fs.String("addr", envOr("TOUCHPOINT_AGENT_ADDR", "http://127.0.0.1:8470"), "the running agent's HTTP address")
	token := fs.String("token", os.Getenv("TOUCHPOINT_AGENT_TOKEN"), "admin or staff token (default: the data directory's admin token)")
	dataDir := fs.String("data-dir", "", "data directory to read the admin token from")
	return func() *agentClient {
		c := &agentClient{base: strings.TrimRight(*addr, "/"), token: *token}
		if !strings.Contains(c.base, "://") {
			c.base = "http://" + c.base
		}
		if c.token == "" && *dataDir != "" {
			if b, err := os.ReadFile(filepath.Join(*dataDir, AdminTokenFile)); err == nil {
				c.token = strings.TrimSpace(string(b))
			}
		}
		return c
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func (c *agentClient) get(path string, query url.Values, out any) error {
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	return c.do(http.MethodGet, path, nil, out)
}

func (c *agentClient) do(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach the agent at %s (is it running? set --addr): %w", c.base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var e struct{ Error string }
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return fmt.Errorf("agent answered %d: %s", resp.StatusCode, e.Error)
		}
		return fmt.Errorf("agent answered %d: %s", resp.StatusCode, bytes.TrimSpace(data))
	}
	return json.Unmarshal(data, out)
}
