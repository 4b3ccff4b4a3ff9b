package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/agent/hublink"
	"github.com/touchpoint/touchpoint/agent/localstore"
	"github.com/touchpoint/touchpoint/agent/staffapi"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
	"golang.org/x/crypto/bcrypt"
)

// mustStaffAPI serves the staff API over a real store with an admin token
// in a data directory, as `run` does; it returns the address and the dir.
func mustStaffAPI(t *testing.T) (addr, dataDir string) {
	t.Helper()
	p := customer.BuildProfile("C-anna", []customer.Event{{ID: "call-1", Channel: "phone", Type: "call_inbound",
		OccurredAt: time.Date(2026, 11, 2, 18, 0, 0, 0, time.UTC), Source: "phone:tollfree",
		Customer: customer.Hints{Phone: "(312) 555-0142", GivenName: "Anna", FamilyName: "Petrova"}}}, "US")
	return mustStaffAPIWith(t, p)
}

// mustStaffAPIWith is mustStaffAPI with these profiles cached.
func mustStaffAPIWith(t *testing.T, profiles ...customer.Profile) (addr, dataDir string) {
	t.Helper()
	dataDir = t.TempDir()
	if err := os.WriteFile(dataDir+"/"+AdminTokenFile, []byte("cli-test-admin\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := localstore.Open(t.TempDir(), localstore.Options{Region: "US", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.PutProfiles(profiles); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(staffapi.New(st, hubStub{}, "D-017", log,
		staffapi.WithAdminTokenFile(dataDir+"/"+AdminTokenFile), staffapi.WithPasswordCost(bcrypt.MinCost)))
	t.Cleanup(srv.Close)
	return srv.URL, dataDir
}

// hubStub is a hub link that is never connected.
type hubStub struct{}

func (hubStub) Lookup(context.Context, localstore.Query) ([]customer.Profile, error) {
	return nil, hublink.ErrOffline
}

func (hubStub) State() hublink.State { return hublink.State{} }

func (hubStub) Candidates(context.Context) ([]protocol.CandidateView, error) {
	return nil, hublink.ErrOffline
}

func (hubStub) Decide(context.Context, string, bool, string) (string, error) {
	return "", hublink.ErrOffline
}

// captureStdout runs fn and returns what it printed.
func captureStdout(t *testing.T, fn func() error) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() { b, _ := io.ReadAll(r); done <- string(b) }()
	ferr := fn()
	os.Stdout = old
	w.Close()
	return <-done, ferr
}

// staff add, list and remove manage accounts through the running agent
// with the data directory's admin token; tables by default, JSON on
// request; a lookup with the new staff token prints the profile.
func TestStaffCommands_AddListRemove(t *testing.T) {
	addr, dir := mustStaffAPI(t)
	admin := []string{"--addr", addr, "--data-dir", dir}
	out, err := captureStdout(t, func() error {
		return runStaff(append([]string{"add", "m.jones", "--name", "Maria Jones", "--json"}, admin...))
	})
	var added struct {
		Staff    struct{ Username, Token string }
		Password string
	}
	if err != nil || json.Unmarshal([]byte(out), &added) != nil || added.Staff.Token == "" || len(added.Password) < 16 {
		t.Fatalf("staff add --json: %v\n%s", err, out)
	}
	out, err = captureStdout(t, func() error { return runStaff(append([]string{"list"}, admin...)) })
	if err != nil || !strings.Contains(out, "USERNAME") || !strings.Contains(out, "m.jones") || !strings.Contains(out, "Maria Jones") {
		t.Errorf("staff list: %v\n%s", err, out)
	}
	out, err = captureStdout(t, func() error {
		return runLookup([]string{"--addr", addr, "--token", added.Staff.Token, "--phone", "312.555.0142"})
	})
	if err != nil || !strings.Contains(out, "Anna Petrova") || !strings.Contains(out, "call_inbound") || !strings.Contains(out, "phone:tollfree") {
		t.Errorf("lookup with the staff token: %v\n%s", err, out)
	}
	if _, err := captureStdout(t, func() error { return runStaff(append([]string{"list", "--token", added.Staff.Token}, "--addr", addr)) }); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("staff list with a staff token: %v, want a 403", err)
	}
	if _, err := captureStdout(t, func() error { return runStaff(append([]string{"remove", "m.jones"}, admin...)) }); err != nil {
		t.Fatalf("staff remove: %v", err)
	}
	out, _ = captureStdout(t, func() error { return runStaff(append([]string{"list"}, admin...)) })
	if !strings.Contains(out, "no staff accounts yet") {
		t.Errorf("staff list after remove:\n%s", out)
	}
	if _, err := captureStdout(t, func() error { return runStaff([]string{"promote"}) }); err == nil {
		t.Errorf("an unknown subcommand succeeded")
	}
}

// A command run without a token, or with a wrong one, says which flag or
// variable gives it, not which HTTP header the API wants.
func TestStaffCommands_TokenErrorsNameTheFlags(t *testing.T) {
	addr, _ := mustStaffAPI(t)
	t.Setenv("TOUCHPOINT_AGENT_TOKEN", "")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"list", "--addr", addr}, "the agent wants a token: pass --token, set TOUCHPOINT_AGENT_TOKEN, or give --data-dir"},
		{[]string{"list", "--addr", addr, "--token", "wrong"}, "the agent refused the token: pass --token"},
	} {
		_, err := captureStdout(t, func() error { return runStaff(tt.args) })
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "Bearer") {
			t.Errorf("staff %v: %v, want %q", tt.args, err, tt.want)
		}
	}
}
