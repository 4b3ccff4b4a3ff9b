package main

import (
	"fmt"
	"net/url"
	"path/filepath"
	"time"

	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// agentProc is a real touchpoint-agent: its data directory and, once
// started, its process.
type agentProc struct {
	*proc.Agent
	dealer, zip, token string
}

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
	a := &agentProc{Agent: &proc.Agent{Dir: filepath.Join(b.dir, "agent-"+name), HTTP: freeTCP()}, dealer: dealer, zip: zip}
	// The token is committed, but the node may not have applied it yet.
	err = proc.WaitEvery(10*time.Second, 200*time.Millisecond, "enrol "+dealer, func() error {
		_, err := runBin(proc.AgentBinary, "enroll", "--hub", c.nodes[0].Agent, "--token", token, "--data-dir", a.Dir)
		return err
	})
	if err != nil {
		return nil, err
	}
	if a.token, err = a.AdminToken(); err != nil {
		return nil, err
	}
	return a, nil
}

// start runs the agent and waits until its API answers.
func (a *agentProc) start(b *bench) error {
	p, err := startProc(b.dir, "agent-"+a.dealer, proc.AgentBinary, nil, a.RunArgs()...)
	if err != nil {
		return err
	}
	b.track(p)
	a.Proc = p
	return proc.WaitFor(60*time.Second, a.dealer+" agent API", func() error {
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
	err := callWith(a.token, "GET", a.URL("/v1/sync"), nil, &st)
	return st, err
}

// lookup searches the agent's local cache by phone.
func (a *agentProc) lookup(phone string) (int, error) {
	var out struct{ Customers []struct{ Events []struct{} } }
	err := callWith(a.token, "GET", a.URL("/v1/customers?local=true&phone="+url.QueryEscape(phone)), nil, &out)
	if err == nil && len(out.Customers) == 0 {
		return 0, fmt.Errorf("phone %s: nothing found", phone)
	}
	if err != nil {
		return 0, err
	}
	return len(out.Customers[0].Events), nil
}
