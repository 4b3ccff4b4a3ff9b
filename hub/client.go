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
	"time"

	"github.com/spf13/pflag"
	"github.com/touchpoint/touchpoint/hub/ca"
	"github.com/touchpoint/touchpoint/internal/cli"
	"github.com/touchpoint/touchpoint/internal/httpjson"
)

// apiClient talks to a running node's HTTP API.
type apiClient struct{ *httpjson.Client }

// hubHints name the flags that fix a failed request to the hub.
var hubHints = httpjson.Hints{Server: "hub", AddrFlag: "--addr or TOUCHPOINT_HUB_ADDR", TokenFix: "pass --token or set TOUCHPOINT_TOKEN (the operator token, in a bootstrapped node's <data-dir>/operator.token)"}

// clientFlags adds --addr, --token and --ca-file to fs and returns the
// client they describe once fs is parsed.
func clientFlags(fs *pflag.FlagSet) func() *apiClient {
	addr := fs.String("addr", cli.EnvOr("TOUCHPOINT_HUB_ADDR", "http://127.0.0.1:7080"), "HTTP address of a hub node")
	token := fs.String("token", os.Getenv("TOUCHPOINT_TOKEN"), "operator token")
	caFile := fs.String("ca-file", os.Getenv("TOUCHPOINT_CA_FILE"), "cluster CA certificate (a node's <data-dir>/node-tls/ca.crt), to verify an https:// --addr of a node serving --http-tls")
	return func() *apiClient { return newAPIClient(*addr, *token, *caFile) }
}

// newAPIClient talks to addr; with caFile, it verifies the node's HTTPS
// certificate against the cluster CA.
func newAPIClient(addr, token, caFile string) *apiClient {
	c := httpjson.New(addr, token, hubHints)
	c.Timeout = 30 * time.Second
	if caFile != "" {
		c.HTTP = &http.Client{Transport: clusterCATransport(caFile)}
	}
	return &apiClient{c}
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

// do sends body as JSON and decodes the answer into out (when not nil).
func (c *apiClient) do(ctx context.Context, method, path string, body, out any) error {
	return c.Do(ctx, method, path, body, out)
}

// stream sends body as is and returns the response for the caller to read;
// a non-2xx answer becomes an error. There is no overall timeout: a
// snapshot may take long, and progress shows it is moving.
func (c *apiClient) stream(method, path string, body io.Reader) (*http.Response, error) {
	return c.Stream(context.Background(), method, path, "application/octet-stream", body)
}

// list GETs a listing or status at path. With asJSON it prints the
// answer as the API wrote it (indented: its snake_case keys, its numbers
// as written) and reports printed; otherwise it decodes the answer into
// out, for the caller to print as a table.
func (c *apiClient) list(path string, asJSON bool, out any) (printed bool, err error) {
	var raw json.RawMessage
	if err := c.do(context.Background(), http.MethodGet, path, nil, &raw); err != nil {
		return false, err
	}
	if !asJSON {
		if err := json.Unmarshal(raw, out); err != nil {
			return false, fmt.Errorf("decode the hub's answer: %w", err)
		}
		return false, nil
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return false, fmt.Errorf("the hub's answer is not JSON: %w", err)
	}
	b.WriteByte('\n')
	_, err = os.Stdout.Write(b.Bytes())
	return true, err
}
