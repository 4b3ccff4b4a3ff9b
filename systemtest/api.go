package systemtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

var httpClient = &http.Client{Timeout: 30 * time.Second}

// Call sends body as JSON (when not nil) and decodes a 2xx answer into
// out, with the token SetToken gave the address.
func Call(method, url string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, url, resp.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}

// get is a GET through Call, for proc's waits.
func get(url string, out any) error { return Call("GET", url, nil, out) }

// CallText GETs url and returns the body as text.
func CallText(url string, out *string) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	*out = string(b)
	return err
}

// do sends req with the token SetToken gave its address.
func do(req *http.Request) (*http.Response, error) {
	if token := tokenFor(req.URL.Host); token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return httpClient.Do(req)
}

// Search asks node for the profiles matching one query parameter.
func Search(node string, param, value string) ([]customer.Profile, error) {
	var out struct{ Customers []customer.Profile }
	err := Call("GET", node+"/v1/customers?"+param+"="+url.QueryEscape(value), nil, &out)
	return out.Customers, err
}

// HasEvent reports whether one of profiles holds the event with id.
func HasEvent(profiles []customer.Profile, id string) error {
	for _, p := range profiles {
		for _, e := range p.Events {
			if e.ID == id {
				return nil
			}
		}
	}
	return fmt.Errorf("event %s not in %d profiles", id, len(profiles))
}

// NodeStatus is a hub node's /v1/status answer, as far as tests read it.
type NodeStatus struct {
	LeaderID string `json:"leader_id"`
	Peers    []struct{ ID string }
}

// Credentials the tests send: the operator token of the hub under test
// (to hub commands, through TOUCHPOINT_TOKEN) and, per address, the
// token each HTTP server expects.
var (
	authMu        sync.Mutex
	operatorToken string
	authTokens    = map[string]string{}
)

// SetToken makes calls to addr carry token.
func SetToken(addr, token string) {
	authMu.Lock()
	defer authMu.Unlock()
	authTokens[addr] = token
}

func tokenFor(addr string) string {
	authMu.Lock()
	defer authMu.Unlock()
	return authTokens[addr]
}

func setOperatorToken(token string) {
	authMu.Lock()
	defer authMu.Unlock()
	operatorToken = token
}

// tokenEnv hands hub commands the operator token of the hub under test.
func tokenEnv() []string {
	authMu.Lock()
	defer authMu.Unlock()
	if operatorToken == "" {
		return nil
	}
	return []string{"TOUCHPOINT_TOKEN=" + operatorToken}
}
