package systemtest

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// Agent is one dealer agent process, started for one test.
type Agent struct {
	*proc.Agent
	t      testing.TB
	Dealer string
}

// StartAgent enrols an agent for dealer at the first hub node and runs it.
func (c *Cluster) StartAgent(dealer string) *Agent {
	c.t.Helper()
	return c.StartPinnedAgent(dealer, nil)
}

// StartPinnedAgent is StartAgent with the agent's hub addresses pinned,
// e.g. to proxies (see TOUCHPOINT_HUB_ADDRS); nil leaves them to the hub.
func (c *Cluster) StartPinnedAgent(dealer string, hubs []string) *Agent {
	t := c.t
	t.Helper()
	a := c.EnrollAgent(dealer, filepath.Join(t.TempDir(), dealer))
	var env []string
	if hubs != nil {
		env = []string{"TOUCHPOINT_HUB_ADDRS=" + strings.Join(hubs, ",")}
	}
	a.Proc = StartProc(t, "agent-"+dealer, env, "touchpoint-agent", a.RunArgs()...)
	Eventually(t, 30*time.Second, dealer+" agent connected", func() error {
		if st := a.SyncStatus(); !st.Hub.Connected {
			return fmt.Errorf("not connected: %s", st.Hub.LastError)
		}
		return nil
	})
	return a
}

// EnrollAgent enrols an agent for dealer at the first hub node, with its
// data in dir, without starting it: start it with StartProc and RunArgs.
func (c *Cluster) EnrollAgent(dealer, dir string) *Agent {
	t := c.t
	t.Helper()
	token := strings.TrimSpace(Run(t, "touchpoint-hub", "token", "create", "--dealer", dealer, "--addr", c.Nodes[0].HTTP))
	a := &Agent{Agent: &proc.Agent{Dir: dir, HTTP: FreeTCP(t)}, t: t, Dealer: dealer}
	Run(t, "touchpoint-agent", "enroll", "--hub", c.Nodes[0].Agent, "--token", token, "--data-dir", a.Dir)
	if admin, err := a.AdminToken(); err == nil {
		SetToken(a.HTTP, admin)
	}
	return a
}

// Record records an event at the agent; it returns once the agent
// acknowledged it (committed locally).
func (a *Agent) Record(e customer.Event) string {
	var out struct {
		Results []struct{ Status string }
	}
	if err := Call("POST", a.URL("/v1/events"), e, &out); err != nil {
		a.t.Fatalf("record at %s: %v", a.Dealer, err)
	}
	return out.Results[0].Status
}

// Cached searches only the agent's local cache (no read-through).
func (a *Agent) Cached(param, value string) ([]customer.Profile, error) {
	var out struct{ Customers []customer.Profile }
	err := Call("GET", a.URL("/v1/customers?local=true&"+param+"="+url.QueryEscape(value)), nil, &out)
	return out.Customers, err
}

// SyncStatus is the agent's /v1/sync answer.
type SyncStatus struct {
	OutboxLen int    `json:"outbox_len"`
	Cursor    uint64 `json:"cursor"`
	Profiles  int    `json:"profiles"`
	Hub       struct {
		Connected bool   `json:"connected"`
		LastError string `json:"last_error"`
	} `json:"hub"`
}

// SyncStatus asks the agent how its sync stands; zero when it does not
// answer.
func (a *Agent) SyncStatus() SyncStatus {
	var st SyncStatus
	_ = Call("GET", a.URL("/v1/sync"), nil, &st)
	return st
}
