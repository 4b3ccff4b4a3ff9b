package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// apiClient talks to a running node's HTTP API.
type apiClient struct {
	base  string
	token string
}

// clientFlags adds --addr and --token to fs and returns the client they
// describe once fs is parsed.
func clientFlags(fs *pflag.FlagSet) func() *apiClient {
	addr := fs.String("addr", envOr("TOUCHPOINT_HUB_ADDR", "http://127.0.0.1:7080"), "HTTP address of a hub node")
	token := fs.String("token", os.Getenv("TOUCHPOINT_TOKEN"), "operator token")
	return func() *apiClient { return &apiClient{base: normalizeAddr(*addr), token: *token} }
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func normalizeAddr(addr string) string {
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	return strings.TrimRight(addr, "/")
}

// do sends body as JSON and decodes the answer into out (when not nil).
func (c *apiClient) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
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
		return fmt.Errorf("cannot reach the hub at %s (is it running? set --addr): %w", c.base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var e struct{ Error string }
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return fmt.Errorf("hub answered %d: %s", resp.StatusCode, e.Error)
		}
		return fmt.Errorf("hub answered %d: %s", resp.StatusCode, bytes.TrimSpace(data))
	}
	if out == nil {
		return nil
	}
	if raw, ok := out.(*json.RawMessage); ok {
		*raw = data
		return nil
	}
	return json.Unmarshal(data, out)
}

// printJSON prints v indented.
func printJSON(v any) {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// stream sends body as is and returns the response for the caller to read;
// a non-2xx answer becomes an error. There is no overall timeout: a
// snapshot may take long, and progress shows it is moving.
func (c *apiClient) stream(method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the hub at %s (is it running? set --addr): %w", c.base, err)
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		var e struct{ Error string }
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return nil, fmt.Errorf("hub answered %d: %s", resp.StatusCode, e.Error)
		}
		return nil, fmt.Errorf("hub answered %d: %s", resp.StatusCode, bytes.TrimSpace(data))
	}
	return resp, nil
}
