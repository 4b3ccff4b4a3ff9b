package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/systemtest/freeport"
)

// testHub is a one-node hub running as a process on 127.0.0.1.
type testHub struct {
	t                        *testing.T
	agentAddr, httpAddr, dir string
	operatorToken            string
	cmd                      *exec.Cmd
	log                      *bytes.Buffer
	stopOnce                 sync.Once
}

// startHub bootstraps a hub and adds dealer D-1 to it.
func startHub(t *testing.T) *testHub {
	t.Helper()
	h := &testHub{t: t, agentAddr: freeUDP(t), httpAddr: freeTCP(t), dir: filepath.Join(t.TempDir(), "hub"), log: new(bytes.Buffer)}
	h.cmd = exec.Command(mustHubBinary(t), "serve", "--node-id", "hub1", "--data-dir", h.dir, "--bootstrap",
		"--raft-addr", freeTCP(t), "--http-addr", h.httpAddr, "--agent-addr", h.agentAddr)
	h.cmd.Stdout, h.cmd.Stderr = &lockedWriter{w: h.log}, &lockedWriter{w: h.log}
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		h.stop()
		if t.Failed() {
			t.Logf("hub log:\n%s", h.log)
		}
	})
	// Bootstrapping writes the first operator token (DESIGN.md, credentials).
	eventually(t, 30*time.Second, "hub ready with an operator token", func() error {
		b, err := os.ReadFile(filepath.Join(h.dir, "operator.token"))
		if err != nil {
			return err
		}
		h.operatorToken = strings.TrimSpace(string(b))
		resp, err := http.Get("http://" + h.httpAddr + "/readyz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("readyz %d", resp.StatusCode)
		}
		return nil
	})
	h.cli("dealer", "add", "D-1", "--name", "Doctor Motors", "--market", "606", "--country", "US")
	return h
}

// cli runs a hub command against this hub and returns its output.
func (h *testHub) cli(args ...string) string {
	h.t.Helper()
	cmd := exec.Command(mustHubBinary(h.t), append(args, "--addr", "http://"+h.httpAddr)...)
	cmd.Env = append(os.Environ(), "TOUCHPOINT_TOKEN="+h.operatorToken)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		h.t.Fatalf("touchpoint-hub %v: %v\n%s", args, err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// enrolmentToken makes a one-time token for dealer D-1.
func (h *testHub) enrolmentToken() string {
	return h.cli("token", "create", "--dealer", "D-1")
}

// stop ends the hub process (SIGKILL: a hub that is gone, as after a crash).
func (h *testHub) stop() {
	h.stopOnce.Do(func() {
		_ = h.cmd.Process.Signal(syscall.SIGKILL)
		_ = h.cmd.Wait()
	})
}

// enrolledDataDir enrols a fresh data directory at h.
func enrolledDataDir(t *testing.T, h *testHub) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "agent")
	if _, err := enrollDataDir(h.agentAddr, h.enrolmentToken(), dir); err != nil {
		t.Fatalf("enrol: %v", err)
	}
	return dir
}

// runningAgent runs the agent in this process until stop is called.
type runningAgent struct {
	httpAddr string
	cancel   context.CancelFunc
	done     chan error
}

func startAgent(t *testing.T, dataDir string) *runningAgent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a := &runningAgent{httpAddr: freeTCP(t), cancel: cancel, done: make(chan error, 1)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	go func() {
		a.done <- run(ctx, runConfig{DataDir: dataDir, HTTPAddr: a.httpAddr, LogFormat: "text", LogLevel: "info"}, log)
	}()
	t.Cleanup(a.stop)
	eventually(t, 20*time.Second, "agent answering", func() error {
		select {
		case err := <-a.done:
			t.Fatalf("agent stopped: %v", err)
		default:
		}
		resp, err := http.Get("http://" + a.httpAddr + "/healthz")
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	})
	return a
}

// stop asks the agent to stop and waits until it has closed its store.
func (a *runningAgent) stop() {
	if a.cancel == nil {
		return
	}
	a.cancel()
	<-a.done
	a.cancel = nil
}

// record records a showroom visit at the agent with its admin token.
func (a *runningAgent) record(t *testing.T, dataDir, id string) {
	t.Helper()
	token, _ := os.ReadFile(filepath.Join(dataDir, AdminTokenFile))
	body, _ := json.Marshal(map[string]any{
		"id": id, "channel": "showroom", "type": "showroom_visit", "occurred_at": time.Now().UTC().Format(time.RFC3339),
		"customer": map[string]any{"email": id + "@doctor.example", "given_name": "Dora"},
	})
	req, _ := http.NewRequest(http.MethodPost, "http://"+a.httpAddr+"/v1/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("record: %d %s", resp.StatusCode, b)
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func freeTCP(t *testing.T) string {
	t.Helper()
	addr, err := freeport.TCP()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func freeUDP(t *testing.T) string {
	t.Helper()
	addr, err := freeport.UDP()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// eventually retries fn until it returns nil or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true after %s: %v", what, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
