package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// agentProc is a real touchpoint-agent: its data directory and, once
// started, its process.
type agentProc struct {
	*proc
	dealer, zip, dir, http, token string
}

func (a *agentProc) url(path string) string { return "http://" + a.http + path }

// enrolAgent registers a new dealer and enrols a real agent for it at the
// first hub node (not started yet).
func enrolAgent(b *bench, name string) (*agentProc, error) {
	c, err := b.cluster()
	if err != nil {
		return nil, err
	}
	dealer, zip, err := b.newDealer()
	if err != nil {
		return nil, err
	}
	token, err := c.enrolmentToken(dealer)
	if err != nil {
		return nil, err
	}
	a := &agentProc{dealer: dealer, zip: zip, dir: filepath.Join(b.dir, "agent-"+name), http: freeTCP()}
	// The token is committed, but the node may not have applied it yet.
	err = waitEvery(10*time.Second, 200*time.Millisecond, "enrol "+dealer, func() error {
		_, err := runBin(nil, "touchpoint-agent", "enroll", "--hub", c.nodes[0].agent, "--token", token, "--data-dir", a.dir)
		return err
	})
	if err != nil {
		return nil, err
	}
	admin, err := os.ReadFile(filepath.Join(a.dir, "admin.token"))
	if err != nil {
		return nil, fmt.Errorf("agent admin token: %w", err)
	}
	a.token = strings.TrimSpace(string(admin))
	return a, nil
}

// start runs the agent and waits until its API answers.
func (a *agentProc) start(b *bench) error {
	p, err := startProc(b.dir, "agent-"+a.dealer, "touchpoint-agent", nil, "run", "--data-dir", a.dir, "--http-addr", a.http)
	if err != nil {
		return err
	}
	b.track(p)
	a.proc = p
	return waitFor(60*time.Second, a.dealer+" agent API", func() error {
		_, err := a.sync()
		return err
	})
}

// agentSync is the agent's /v1/sync answer.
type agentSync struct {
	OutboxLen int `json:"outbox_len"`
	Profiles  int `json:"profiles"`
	Cursor    uint64
	Hub       struct {
		Connected bool   `json:"connected"`
		Behind    uint64 `json:"cursor_lag"`
		LastError string `json:"last_error"`
	} `json:"hub"`
}

func (a *agentProc) sync() (agentSync, error) {
	var st agentSync
	err := callWith(a.token, "GET", a.url("/v1/sync"), nil, &st)
	return st, err
}

// lookup searches the agent's local cache by phone.
func (a *agentProc) lookup(phone string) (int, error) {
	var out struct{ Customers []struct{ Events []struct{} } }
	err := callWith(a.token, "GET", a.url("/v1/customers?local=true&phone="+url.QueryEscape(phone)), nil, &out)
	if err == nil && len(out.Customers) == 0 {
		return 0, fmt.Errorf("phone %s: nothing found", phone)
	}
	if err != nil {
		return 0, err
	}
	return len(out.Customers[0].Events), nil
}
