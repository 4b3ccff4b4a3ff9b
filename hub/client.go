package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/touchpoint/touchpoint/hub/ca"
)

// apiClient talks to a running node's HTTP API.
type apiClient struct {
	base  string
	token string
	http  *http.Client
}

// clientFlags adds --addr and --token to fs and returns the client they
// describe once fs is parsed.
func clientFlags(fs *pflag.FlagSet) func() *apiClient {
	addr := fs.String("addr", envOr("TOUCHPOINT_HUB_ADDR", "http://127.0.0.1:7080"), "HTTP address of a hub node")
	token := fs.String("token", os.Getenv("TOUCHPOINT_TOKEN"), "operator token")
	caFile := fs.String("ca-file", os.Getenv("TOUCHPOINT_CA_FILE"), "cluster CA certificate (a node's <data-dir>/node-tls/ca.crt), to verify an https:// --addr of a node serving --http-tls")
	return func() *apiClient { return newAPIClient(*addr, *token, *caFile) }
}

// newAPIClient talks to addr; with caFile, it verifies the node's HTTPS
// certificate against the cluster CA.
func newAPIClient(addr, token, caFile string) *apiClient {
	c := &apiClient{base: normalizeAddr(addr), token: token, http: http.DefaultClient}
	if caFile == "" {
		return c
	}
	c.http = &http.Client{Transport: clusterCATransport(caFile)}
	return c
}

// clusterCATransport trusts only the cluster CA in file, and expects the
// name every hub node's certificate carries. A file it cannot read fails
// each request with the reason.
func clusterCATransport(file string) http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	pool := x509.NewCertPool()
	pemBytes, err := os.ReadFile(file)
	if err == nil && !pool.AppendCertsFromPEM(pemBytes) {
		err = fmt.Errorf("no PEM certificate in %s", file)
	}
	if err != nil {
		return failingTransport{fmt.Errorf("--ca-file: %w", err)}
	}
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool, ServerName: ca.ServerName}
	return t
}

type failingTransport struct{ err error }

func (f failingTransport) RoundTrip(*http.Request) (*http.Response, error) { return nil, f.err }

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
	resp, err := c.http.Do(req)
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
	resp, err := c.http.Do(req)
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
