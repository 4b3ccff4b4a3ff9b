// Command demo runs Touchpoint on loopback with sample data: a one-node
// hub, two dealer agents (Chicago D-017 and Urbana D-104), web, phone and
// dealer-system history, and showroom visits recorded at the dealers. It
// prints where to look and runs until Ctrl-C.
package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
)

//go:embed sample-events.jsonl
var hubEvents []byte

//go:embed dealer-events.jsonl
var dealerEvents []byte

const hubHTTP = "127.0.0.1:7080"

type dealer struct{ id, name, market, http string }

var dealers = []dealer{
	{"D-017", "ZOT Chicago West", "606", "127.0.0.1:8470"},
	{"D-104", "ZOT Urbana", "618", "127.0.0.1:8471"},
}

func main() {
	bin := pflag.String("bin", "bin", "folder with touchpoint-hub and touchpoint-agent")
	dataDir := pflag.String("data-dir", filepath.Join(os.TempDir(), "touchpoint-demo"), "where the demo keeps its data (wiped at start)")
	pflag.Parse()
	if err := run(*bin, *dataDir); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(bin, dataDir string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := os.RemoveAll(dataDir); err != nil {
		return err
	}
	var procs []*exec.Cmd
	defer func() {
		for _, p := range procs {
			_ = p.Process.Signal(os.Interrupt)
			_ = p.Wait()
		}
	}()
	step("starting a one-node hub on " + hubHTTP)
	hub, err := start(bin, dataDir, "hub", "touchpoint-hub", "serve", "--node-id", "hub1", "--bootstrap", "--data-dir", filepath.Join(dataDir, "hub1"))
	if err != nil {
		return err
	}
	procs = append(procs, hub)
	if err := waitFor(ctx, "http://"+hubHTTP+"/readyz"); err != nil {
		return err
	}
	for _, d := range dealers {
		agent, err := startDealer(ctx, bin, dataDir, d)
		if err != nil {
			return err
		}
		procs = append(procs, agent)
	}
	if err := loadSamples(ctx); err != nil {
		return err
	}
	printWelcome(bin, dataDir)
	<-ctx.Done()
	step("stopping")
	return nil
}

func startDealer(ctx context.Context, bin, dataDir string, d dealer) (*exec.Cmd, error) {
	step(fmt.Sprintf("adding dealer %s (%s, market %s) and enrolling its agent", d.id, d.name, d.market))
	if _, err := output(bin, "touchpoint-hub", "dealer", "add", d.id, "--name", d.name, "--market", d.market); err != nil {
		return nil, err
	}
	token, err := output(bin, "touchpoint-hub", "token", "create", "--dealer", d.id)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(dataDir, d.id)
	if _, err := output(bin, "touchpoint-agent", "enroll", "--hub", "127.0.0.1:7443", "--token", strings.TrimSpace(token), "--data-dir", dir); err != nil {
		return nil, err
	}
	agent, err := start(bin, dataDir, "agent-"+d.id, "touchpoint-agent", "run", "--data-dir", dir, "--http-addr", d.http)
	if err != nil {
		return nil, err
	}
	return agent, waitFor(ctx, "http://"+d.http+"/healthz")
}

// loadSamples posts web, phone and DMS history to the hub and records the
// showroom visits at the dealers' agents, as staff would.
func loadSamples(ctx context.Context) error {
	var events []json.RawMessage
	for line := range bytes.Lines(hubEvents) {
		events = append(events, bytes.TrimSpace(line))
	}
	step(fmt.Sprintf("sending %d web, phone and dealer-system events to the hub", len(events)))
	if err := post(ctx, "http://"+hubHTTP+"/v1/events", map[string]any{"events": events}); err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(dealerEvents))
	for sc.Scan() {
		var rec struct {
			Dealer string          `json:"dealer"`
			Event  json.RawMessage `json:"event"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return fmt.Errorf("sample dealer event: %w", err)
		}
		for _, d := range dealers {
			if d.id == rec.Dealer {
				step("recording a showroom interaction at " + d.id)
				if err := post(ctx, "http://"+d.http+"/v1/events", rec.Event); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func printWelcome(bin, dataDir string) {
	fmt.Printf(`
Touchpoint is running (data in %s).

  Staff page, Chicago dealer D-017:  http://%s/
  Staff page, Urbana dealer D-104:   http://%s/
  Hub API:                           http://%s/v1/customers?phone=%%2B17735550142

Try, in another terminal:
  %s/touchpoint-agent lookup --phone 773-555-0142            # Eva's whole history at D-017
  %s/touchpoint-agent lookup --addr 127.0.0.1:8471 --name "priya raman"
  %s/touchpoint-agent record --type test_drive --phone 773-555-0142 --model "ZOT 12" --note "second drive"
  %s/touchpoint-agent sync-status
  %s/touchpoint-hub status

Press Ctrl-C to stop.
`, dataDir, dealers[0].http, dealers[1].http, hubHTTP, bin, bin, bin, bin, bin)
}

func step(msg string) { fmt.Println("==>", msg) }

func start(bin, dataDir, name, prog string, args ...string) (*exec.Cmd, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	logFile, err := os.Create(filepath.Join(dataDir, name+".log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(bin, prog), args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (run `make build` first?): %w", prog, err)
	}
	return cmd, nil
}

func output(bin, prog string, args ...string) (string, error) {
	out, err := exec.Command(filepath.Join(bin, prog), args...).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return "", fmt.Errorf("%s %s: %s", prog, args[0], exit.Stderr)
	}
	return string(out), err
}

func waitFor(ctx context.Context, url string) error {
	for range 100 {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not become ready", url)
}

func post(ctx context.Context, url string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return fmt.Errorf("POST %s: %d %s", url, resp.StatusCode, e.Error)
	}
	return nil
}
