package main

import (
	"context"
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
var agentHints = httpjson.Hints{Server: "agent", AddrFlag: "--addr", TokenFix: "pass --token, set TOUCHPOINT_AGENT_TOKEN, or give --data-dir to use the agent's admin token"}

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
