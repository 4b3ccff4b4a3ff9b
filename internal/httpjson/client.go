package httpjson

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// DefaultMaxAnswer bounds the answer Do reads unless Client.MaxAnswer
// says otherwise: a search's profiles with their timelines.
const DefaultMaxAnswer = 32 << 20

// maxErrorAnswer bounds the error answer Stream reads.
const maxErrorAnswer = 64 << 10

// Client sends JSON requests to one HTTP API.
type Client struct {
	Base    string        // base URL without a trailing slash, as NormalizeBase makes it
	Token   string        // sent as a bearer token; empty sends none
	HTTP    *http.Client  // nil: http.DefaultClient
	Timeout time.Duration // bounds each Do; 0: only the caller's context
	// MaxAnswer bounds the bytes Do reads; 0 means DefaultMaxAnswer. A
	// longer answer fails to decode.
	MaxAnswer int64
	Hints     Hints // for error messages
}

// Hints name the server and the flags that fix a failed request, so that
// errors say what to do next.
type Hints struct {
	Server   string // what answers, e.g. "hub" or "agent"
	AddrFlag string // the flag that sets Base, e.g. "--addr"
	// TokenFix says how to give a token, e.g. "pass --token or set
	// TOUCHPOINT_TOKEN".
	TokenFix string
}

// New returns a client of the API at addr (see NormalizeBase).
func New(addr, token string, hints Hints) *Client {
	return &Client{Base: NormalizeBase(addr), Token: token, Hints: hints}
}

// NormalizeBase makes a base URL of addr: http:// when it names no scheme,
// no trailing slash.
func NormalizeBase(addr string) string {
	addr = strings.TrimSpace(addr)
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	return strings.TrimRight(addr, "/")
}

// Do sends body (when not nil) as JSON to path and decodes the answer
// into out (when not nil; a *json.RawMessage receives it as is). An
// answer that is not 2xx is an *Error.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	resp, err := c.send(ctx, method, path, "application/json", rd)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	limit := c.MaxAnswer
	if limit <= 0 {
		limit = DefaultMaxAnswer
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return fmt.Errorf("read the %s's answer: %w", c.server(), err)
	}
	if resp.StatusCode >= 300 {
		return c.answerError(resp.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	if raw, ok := out.(*json.RawMessage); ok {
		*raw = data
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("decode the %s's answer: %w", c.server(), err)
	}
	return nil
}

// Stream sends body as is and returns the answer for the caller to read
// and close; an answer that is not 2xx is an *Error. Only ctx bounds it:
// a snapshot may take long.
func (c *Client) Stream(ctx context.Context, method, path, contentType string, body io.Reader) (*http.Response, error) {
	resp, err := c.send(ctx, method, path, contentType, body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorAnswer))
		return nil, c.answerError(resp.StatusCode, data)
	}
	return resp, nil
}

// send makes the request with the token and says how to reach the server
// when it cannot.
func (c *Client) send(ctx context.Context, method, path, contentType string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		flag := c.Hints.AddrFlag
		if flag == "" {
			flag = "the address"
		}
		return nil, fmt.Errorf("cannot reach the %s at %s (is it running? set %s): %w", c.server(), c.Base, flag, err)
	}
	return resp, nil
}

func (c *Client) server() string {
	if c.Hints.Server == "" {
		return "server"
	}
	return c.Hints.Server
}
