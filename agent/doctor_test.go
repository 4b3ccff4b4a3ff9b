package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/installer"
)

// newTestDoctor checks the installation in dataDir with a config file
// written as `install` writes it.
func newTestDoctor(t *testing.T, dataDir, httpAddr string) *doctor {
	t.Helper()
	cfg := installer.AgentConfig{DataDir: dataDir, HTTPAddr: httpAddr, LogLevel: "info", LogFormat: "text"}
	path := filepath.Join(t.TempDir(), "agent.toml")
	if err := os.WriteFile(path, cfg.Encode(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := installer.LoadConfig(path); err != nil {
		t.Fatal(err)
	}
	return &doctor{configPath: path, configFound: true, dataDir: dataDir, httpAddr: httpAddr, software: version, now: time.Now, pingTimeout: time.Second}
}

// runDoctorCommand runs `touchpoint-agent doctor` and returns its report.
func runDoctorCommand(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var b strings.Builder
	doctorOut = &b
	defer func() { doctorOut = nil }()
	err := runDoctor(args)
	return b.String(), err
}

// findingsByCheck indexes findings by check name.
func findingsByCheck(fs []finding) map[string]finding {
	m := map[string]finding{}
	for _, f := range fs {
		m[f.Check] = f
	}
	return m
}

// expectStatus checks the status of named checks, and that a check that
// is not OK says what to do.
func expectStatus(t *testing.T, fs []finding, want map[string]checkStatus) {
	t.Helper()
	got := findingsByCheck(fs)
	for name, status := range want {
		f, ok := got[name]
		if !ok {
			t.Errorf("no %q check", name)
			continue
		}
		if f.Status != status {
			t.Errorf("%s: %s (%s), want %s", name, f.Status, f.Detail, status)
		}
		if (f.Status == statusFail || f.Status == statusWarn) && f.Fix == "" {
			t.Errorf("%s: %s without what to do", name, f.Status)
		}
	}
	if t.Failed() {
		var b strings.Builder
		printFindings(&b, fs)
		t.Logf("doctor said:\n%s", b.String())
	}
}

// Against a healthy hub with the agent running and its outbox drained,
// every check passes: the hub answers over QUIC, both certificates are
// valid, the store answers and the outbox is empty.
func TestDoctor_HealthyHubPasses(t *testing.T) {
	hub := startHub(t)
	dataDir := enrolledDataDir(t, hub)
	agent := startAgent(t, dataDir)
	agent.record(t, dataDir, "doctor-visit-1")
	d := newTestDoctor(t, dataDir, agent.httpAddr)
	eventually(t, 20*time.Second, "outbox drained", func() error {
		if f := findingsByCheck(d.run(context.Background()))["outbox"]; f.Status != statusOK || !strings.HasPrefix(f.Detail, "empty") {
			return errorf("outbox: %s %s", f.Status, f.Detail)
		}
		return nil
	})
	fs := d.run(context.Background())
	expectStatus(t, fs, map[string]checkStatus{
		"config": statusOK, "enrolment": statusOK, "hub": statusOK, "agent certificate": statusOK,
		"hub certificate": statusOK, "agent service": statusOK, "local database": statusOK, "outbox": statusOK,
	})
	if n := countFailed(fs); n != 0 {
		t.Errorf("%d checks failed", n)
	}
	hubCheck := findingsByCheck(fs)["hub"].Detail
	if !strings.Contains(hubCheck, hub.agentAddr) || !strings.Contains(hubCheck, "node hub1") || !strings.Contains(hubCheck, "handshake") {
		t.Errorf("hub detail %q", hubCheck)
	}
	if clock := findingsByCheck(fs)["clock"]; !strings.Contains(clock.Detail, "skew against the hub unknown") || clock.Status == statusFail {
		t.Errorf("clock: %s %q", clock.Status, clock.Detail)
	}
	out, err := runDoctorCommand(t, "--config", d.configPath)
	if err != nil {
		t.Errorf("doctor command: %v\n%s", err, out)
	}
	if !strings.Contains(out, "OK    hub ") || strings.Contains(out, "FAIL") {
		t.Errorf("doctor command printed:\n%s", out)
	}
}

// With the hub stopped, the hub check fails and says what to do, the
// hub's certificate cannot be judged, and an event recorded meanwhile
// waits in the outbox: fine for minutes, a failure after an hour.
func TestDoctor_StoppedHubFails(t *testing.T) {
	hub := startHub(t)
	dataDir := enrolledDataDir(t, hub)
	agent := startAgent(t, dataDir)
	hub.stop()
	agent.record(t, dataDir, "doctor-visit-offline")
	d := newTestDoctor(t, dataDir, agent.httpAddr)

	fs := d.run(context.Background())
	expectStatus(t, fs, map[string]checkStatus{
		"enrolment": statusOK, "hub": statusFail, "hub certificate": statusSkip,
		"agent service": statusOK, "local database": statusOK, "outbox": statusOK,
	})
	if f := findingsByCheck(fs)["hub"]; !strings.Contains(f.Detail, hub.agentAddr) || !strings.Contains(f.Fix, "firewall") {
		t.Errorf("hub: %q / %q", f.Detail, f.Fix)
	}
	if f := findingsByCheck(fs)["outbox"]; !strings.HasPrefix(f.Detail, "1 events waiting") {
		t.Errorf("outbox: %q", f.Detail)
	}

	d.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	expectStatus(t, d.run(context.Background()), map[string]checkStatus{"outbox": statusFail})

	out, err := runDoctorCommand(t, "--config", d.configPath)
	if err == nil || !strings.Contains(err.Error(), "checks failed") {
		t.Errorf("doctor command: %v, want checks failed", err)
	}
	if !strings.Contains(out, "FAIL  hub ") || !strings.Contains(out, "-> check this PC's network") {
		t.Errorf("doctor command printed:\n%s", out)
	}
}

// With the agent stopped, doctor says so and checks the database itself,
// read-only, without taking it from a starting agent for long.
func TestDoctor_StoppedAgentChecksStoreReadOnly(t *testing.T) {
	hub := startHub(t)
	dataDir := enrolledDataDir(t, hub)
	agent := startAgent(t, dataDir)
	agent.record(t, dataDir, "doctor-visit-2")
	agent.stop()
	before := dirListing(t, filepath.Join(dataDir, "db"))

	fs := newTestDoctor(t, dataDir, agent.httpAddr).run(context.Background())
	expectStatus(t, fs, map[string]checkStatus{
		"hub": statusOK, "agent service": statusFail, "local database": statusOK, "outbox": statusSkip,
	})
	if f := findingsByCheck(fs)["agent service"]; !strings.Contains(f.Fix, "touchpoint-agent start") {
		t.Errorf("agent service fix %q", f.Fix)
	}
	if after := dirListing(t, filepath.Join(dataDir, "db")); after != before {
		t.Errorf("doctor changed the database directory:\nbefore %s\nafter  %s", before, after)
	}
	startAgent(t, dataDir) // the agent still opens its store afterwards
}

// dirListing names and sizes the files in dir.
func dirListing(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		fi, _ := e.Info()
		b.WriteString(e.Name() + ":" + fi.ModTime().String() + ":" + string(rune(fi.Size()%1000)) + " ")
	}
	return b.String()
}
