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
	if err := readToken(ctx, filepath.Join(dataDir, "hub1", "operator.token"), hubHTTP); err != nil {
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
	if err := readToken(ctx, filepath.Join(dir, "admin.token"), d.http); err != nil {
		return nil, err
	}
	if err := waitFor(ctx, "http://"+d.http+"/healthz"); err != nil {
		return nil, err
	}
	return agent, addStaff(bin, dir, d.http)
}

// Demo staff login, the same at both dealers.
const demoUser, demoPassword = "demo", "showroom-demo"

// addStaff creates the demo salesperson's login at a dealer's agent.
func addStaff(bin, dir, addr string) error {
	cmd := exec.Command(filepath.Join(bin, "touchpoint-agent"), "staff", "add", demoUser, "--name", "Demo Salesperson",
		"--password-stdin", "--data-dir", dir, "--addr", addr)
	cmd.Env = env()
	cmd.Stdin = strings.NewReader(demoPassword + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("add demo staff: %v: %s", err, out)
	}
	return nil
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
	r := strings.NewReplacer("{data}", dataDir, "{bin}", bin, "{hub}", hubHTTP,
		"{d017}", dealers[0].http, "{d104}", dealers[1].http, "{op}", filepath.Join(dataDir, "hub1", "operator.token"),
		"{user}", demoUser, "{password}", demoPassword)
	fmt.Print(r.Replace(`
Touchpoint is running (data in {data}).

  Staff page, Chicago dealer D-017:  http://{d017}/   (sign in as {user} / {password})
  Staff page, Urbana dealer D-104:   http://{d104}/
  HQ fleet page:                     http://{hub}/?token=$(cat {op})

Try, in another terminal:
  {bin}/touchpoint-agent lookup --data-dir {data}/D-017 --phone 773-555-0142     # Eva's whole history at D-017
  {bin}/touchpoint-agent lookup --data-dir {data}/D-104 --addr {d104} --name "priya raman"
  {bin}/touchpoint-agent record --data-dir {data}/D-017 --type test_drive --phone 773-555-0142 --model "ZOT 12"
  {bin}/touchpoint-agent sync-status --data-dir {data}/D-017
  TOUCHPOINT_TOKEN=$(cat {op}) {bin}/touchpoint-hub status

Press Ctrl-C to stop.
`))
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
	cmd.Env = env()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (run `make build` first?): %w", prog, err)
	}
	return cmd, nil
}

func output(bin, prog string, args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(bin, prog), args...)
	cmd.Env = env()
	out, err := cmd.Output()
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
	req.Header.Set("Authorization", "Bearer "+tokens[req.URL.Host])
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

// tokens maps an HTTP address to the token its server expects.
var tokens = map[string]string{}

// operatorToken is handed to hub commands through TOUCHPOINT_TOKEN.
var operatorToken string

func env() []string {
	if operatorToken == "" {
		return os.Environ()
	}
	return append(os.Environ(), "TOUCHPOINT_TOKEN="+operatorToken)
}

// readToken waits for a token file a server writes and remembers it for addr.
func readToken(ctx context.Context, path, addr string) error {
	for range 100 {
		if b, err := os.ReadFile(path); err == nil {
			tokens[addr] = strings.TrimSpace(string(b))
			if addr == hubHTTP {
				operatorToken = tokens[addr]
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s was not written", path)
}
