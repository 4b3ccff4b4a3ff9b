package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"
)

// Asked to stop while connected to the hub, the agent closes the QUIC
// connection and its store well inside a service manager's stop timeout
// (systemd's TimeoutStopSec=30, the installer's 20 s).
func TestRun_StopsPromptlyWhileConnected(t *testing.T) {
	hub := startHub(t)
	dataDir := enrolledDataDir(t, hub)
	agent := startAgent(t, dataDir)
	d := newTestDoctor(t, dataDir, agent.httpAddr)
	eventually(t, 20*time.Second, "agent connected", func() error {
		sync, f := d.checkAgentRunning(context.Background())
		if sync == nil || !sync.Hub.Connected {
			return errorf("%s", f.Detail)
		}
		return nil
	})
	stopped := make(chan struct{})
	go func() { agent.stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(15 * time.Second):
		t.Fatal("agent did not stop within 15 s of being asked")
	}
	// The store was closed: another process could open it now.
	if err := verifyStoreReadOnly(filepath.Join(dataDir, "db"), defaultKeyFile(dataDir)); err != nil {
		t.Fatalf("store after stop: %v", err)
	}
}

// --pprof-addr serves the Go profiles on their own listener and mux, and
// stops serving them when the agent stops.
func TestServePprof_ServesProfilesUntilStopped(t *testing.T) {
	addr := freeTCP(t)
	stop, err := servePprof(addr, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap?debug=1", "/debug/pprof/cmdline"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, resp.StatusCode)
		}
	}
	stop()
	if resp, err := http.Get("http://" + addr + "/debug/pprof/"); err == nil {
		resp.Body.Close()
		t.Error("profiles still served after stop")
	}
}
