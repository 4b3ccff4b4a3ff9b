package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/touchpoint/touchpoint/internal/cli"
	"github.com/touchpoint/touchpoint/internal/httpjson"
)

// agentClient talks to the running agent's local API.
type agentClient struct{ *httpjson.Client }

// agentHints name the flags that fix a failed request to the agent.
var agentHints = httpjson.Hints{Server: "agent", AddrFlag: "--addr or TOUCHPOINT_AGENT_ADDR", TokenFix: "pass --token, set TOUCHPOINT_AGENT_TOKEN, or give --data-dir to use the agent's admin token"}

// clientFlags adds --addr, --token and --data-dir to fs.
func clientFlags(fs *pflag.FlagSet) func() *agentClient {
	addr := fs.String("addr", cli.EnvOr("TOUCHPOINT_AGENT_ADDR", "http://127.0.0.1:8470"), "the running agent's HTTP address")
	token := fs.String("token", os.Getenv("TOUCHPOINT_AGENT_TOKEN"), "admin or staff token (default: the data directory's admin token)")
	dataDir := fs.String("data-dir", "", "data directory to read the admin token from")
	return func() *agentClient {
		c := httpjson.New(*addr, *token, agentHints)
		c.Timeout = 15 * time.Second
		if c.Token == "" && *dataDir != "" {
			if b, err := os.ReadFile(filepath.Join(*dataDir, AdminTokenFile)); err == nil {
				c.Token = strings.TrimSpace(string(b))
			}
		}
		return &agentClient{c}
	}
}

func (c *agentClient) get(path string, query url.Values, out any) error {
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	return c.do(http.MethodGet, path, nil, out)
}

func (c *agentClient) do(method, path string, body, out any) error {
	return c.Do(context.Background(), method, path, body, out)
}

// list GETs a listing or status at path. With asJSON it prints the
// answer as the API wrote it (indented: its snake_case keys, its numbers
// as written) and reports printed; otherwise it decodes the answer into
// out, numbers in a map as json.Number, for the caller to print.
func (c *agentClient) list(path string, query url.Values, asJSON bool, out any) (printed bool, err error) {
	var raw json.RawMessage
	if err := c.get(path, query, &raw); err != nil {
		return false, err
	}
	if asJSON {
		return true, printRaw(raw)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return false, fmt.Errorf("decode the agent's answer: %w", err)
	}
	return false, nil
}

// printRaw prints an API answer indented, keys and numbers as written.
func printRaw(raw json.RawMessage) error {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return fmt.Errorf("the agent's answer is not JSON: %w", err)
	}
	b.WriteByte('\n')
	_, err := os.Stdout.Write(b.Bytes())
	return err
}
