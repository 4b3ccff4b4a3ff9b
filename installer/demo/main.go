// Command demo runs Touchpoint on loopback with sample data: a one-node
// hub, two dealer agents (Chicago D-017 and Urbana D-104), web, phone and
// dealer-system history, today's showroom visits recorded at the dealers
// and one possible duplicate customer to review. It builds the binaries
// first, showing progress, prints where to look and runs until Ctrl-C,
// which stops the servers and exits 0.
package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
)

const hubHTTP = "127.0.0.1:7080"

type dealer struct{ id, name, market, http string }

var dealers = []dealer{
	{"D-017", "ZOT Chicago West", "606", "127.0.0.1:8470"},
	{"D-104", "ZOT Urbana", "618", "127.0.0.1:8471"},
}

// options are the demo's flags.
type options struct {
	bin, dataDir, goTool, version string
	build                         bool
}

func main() {
	var o options
	pflag.StringVar(&o.bin, "bin", "bin", "folder for touchpoint-hub and touchpoint-agent")
	pflag.StringVar(&o.dataDir, "data-dir", filepath.Join(os.TempDir(), "touchpoint-demo"), "where the demo keeps its data (wiped at start)")
	pflag.BoolVar(&o.build, "build", true, "build the binaries into --bin first (from the repository's root)")
	pflag.StringVar(&o.goTool, "go", "go", "the go command, to --build")
	pflag.StringVar(&o.version, "version", "dev", "the version stamped into the binaries, to --build")
	pflag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
	step("goodbye")
}

// run starts everything, waits for Ctrl-C and stops the servers. Ctrl-C
// at any point is a clean end, not an error.
func run(o options) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var procs []*proc
	defer func() {
		if len(procs) > 0 {
			step("stopping the agents and the hub")
		}
		for i := len(procs) - 1; i >= 0; i-- { // agents first, the hub last
			procs[i].stop()
		}
	}()
	err := startAll(ctx, o, &procs)
	if ctx.Err() != nil {
		fmt.Println()
		return nil // Ctrl-C while starting
	}
	if err != nil {
		return err
	}
	<-ctx.Done()
	fmt.Println()
	return nil
}

// startAll builds the binaries, starts the hub and the agents, and loads
// the sample data, appending each server it starts to procs.
func startAll(ctx context.Context, o options, procs *[]*proc) error {
	if o.build {
		if err := build(ctx, o.goTool, o.bin, o.version); err != nil {
			return err
		}
	}
	if err := os.RemoveAll(o.dataDir); err != nil {
		return err
	}
	step("starting a one-node hub on " + hubHTTP)
	hub, err := start(o.bin, o.dataDir, "hub", "touchpoint-hub", "serve", "--node-id", "hub1", "--bootstrap", "--data-dir", filepath.Join(o.dataDir, "hub1"))
	if err != nil {
		return err
	}
	*procs = append(*procs, hub)
	if err := waitFor(ctx, "http://"+hubHTTP+"/readyz"); err != nil {
		return err
	}
	if err := readToken(ctx, filepath.Join(o.dataDir, "hub1", "operator.token"), hubHTTP); err != nil {
		return err
	}
	for _, d := range dealers {
		agent, err := startDealer(ctx, o.bin, o.dataDir, d)
		if agent != nil {
			*procs = append(*procs, agent)
		}
		if err != nil {
			return err
		}
	}
	if err := loadSamples(ctx, time.Now()); err != nil {
		return err
	}
	candidates := waitForCandidates(ctx)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	printWelcome(o.bin, o.dataDir, candidates)
	return nil
}

func startDealer(ctx context.Context, bin, dataDir string, d dealer) (*proc, error) {
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
		return agent, err
	}
	if err := waitFor(ctx, "http://"+d.http+"/healthz"); err != nil {
		return agent, err
	}
	return agent, addStaff(bin, dir, d.http)
}

// Demo staff login, the same at both dealers.
const demoUser, demoPassword = "demo", "showroom-demo"

// addStaff creates the demo salesperson's login at a dealer's agent.
func addStaff(bin, dir, addr string) error {
	_, err := outputWithStdin(demoPassword+"\n", bin, "touchpoint-agent", "staff", "add", demoUser, "--name", "Demo Salesperson",
		"--password-stdin", "--data-dir", dir, "--addr", addr)
	if err != nil {
		return fmt.Errorf("add demo staff: %w", err)
	}
	return nil
}

// loadSamples posts web, phone and DMS history to the hub and records
// today's showroom visits at the dealers' agents, as staff would.
func loadSamples(ctx context.Context, now time.Time) error {
	events := sampleHistory()
	step(fmt.Sprintf("sending %d web, phone and dealer-system events to the hub", len(events)))
	if err := call(ctx, "POST", "http://"+hubHTTP+"/v1/events", map[string]any{"events": events}, nil); err != nil {
		return err
	}
	visits, err := visitsToday(now)
	if err != nil {
		return err
	}
	for _, v := range visits {
		for _, d := range dealers {
			if d.id == v.Dealer {
				step(fmt.Sprintf("recording today's %s at %s", strings.ReplaceAll(v.Event.Type, "_", " "), d.id))
				if err := call(ctx, "POST", "http://"+d.http+"/v1/events", v.Event, nil); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// waitForCandidates waits until the hub has raised the sample's match
// candidate (today's walk-in reaches it when the agent syncs) and
// returns how many are open.
func waitForCandidates(ctx context.Context) int {
	var out struct {
		Candidates []struct {
			Status string `json:"status"`
		} `json:"candidates"`
	}
	open := 0
	for deadline := time.Now().Add(20 * time.Second); open == 0 && time.Now().Before(deadline) && ctx.Err() == nil; {
		if err := call(ctx, "GET", "http://"+hubHTTP+"/v1/candidates", nil, &out); err == nil {
			for _, c := range out.Candidates {
				if c.Status == "open" {
					open++
				}
			}
		}
		if open == 0 {
			select {
			case <-ctx.Done():
			case <-time.After(250 * time.Millisecond):
			}
		}
	}
	return open
}

func printWelcome(bin, dataDir string, candidates int) {
	review := fmt.Sprintf("%d open match candidate", candidates)
	if candidates != 1 {
		review += "s"
	}
	r := strings.NewReplacer("{data}", dataDir, "{bin}", bin, "{hub}", hubHTTP,
		"{d017}", dealers[0].http, "{d104}", dealers[1].http, "{op}", filepath.Join(dataDir, "hub1", "operator.token"),
		"{user}", demoUser, "{password}", demoPassword, "{token}", url.QueryEscape(operatorToken), "{review}", review)
	fmt.Print(r.Replace(`
Touchpoint is running (data in {data}).

  Staff page, Chicago dealer D-017:  http://{d017}/   (sign in as {user} / {password})
      today's visitors on the up-log; {review} to review at http://{d017}/candidates
      (Daniel Okafor, who bought a ZOT 5 in 2019, and Dan Okafor, who walked in today)
  Staff page, Urbana dealer D-104:   http://{d104}/
  HQ fleet page:                     http://{hub}/?token={token}
      (the operator token: the link signs this browser in with a cookie)

Try, in another terminal:
  {bin}/touchpoint-agent lookup --data-dir {data}/D-017 --phone 773-555-0142     # Eva's history and household at D-017
  {bin}/touchpoint-agent lookup --data-dir {data}/D-104 --addr {d104} --name "priya raman"
  {bin}/touchpoint-agent record --data-dir {data}/D-017 --type test_drive --phone 773-555-0142 --model "ZOT 12"
  {bin}/touchpoint-agent sync-status --data-dir {data}/D-017 --json
  TOUCHPOINT_TOKEN=$(cat {op}) {bin}/touchpoint-hub candidates

Press Ctrl-C to stop.
`))
}

func step(msg string) { fmt.Println("==>", msg) }
