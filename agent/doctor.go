package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/touchpoint/touchpoint/agent/clock"
	"github.com/touchpoint/touchpoint/installer"
)

// checkStatus is the outcome of one doctor check.
type checkStatus int

const (
	statusOK checkStatus = iota
	statusWarn
	statusFail
	statusSkip
)

func (s checkStatus) String() string { return [...]string{"OK", "WARN", "FAIL", "SKIP"}[s] }

// MarshalText writes the status in lower case for doctor --json.
func (s checkStatus) MarshalText() ([]byte, error) { return []byte(strings.ToLower(s.String())), nil }

// finding is one check's outcome: what was seen and, unless OK, what to do.
type finding struct {
	Check  string      `json:"check"`
	Status checkStatus `json:"status"`
	Detail string      `json:"detail"`
	Fix    string      `json:"fix,omitempty"`
}

// Doctor thresholds.
const (
	certWarnAhead   = 30 * 24 * time.Hour // at most; see certLifetime
	diskFailBelow   = 256 << 20
	diskWarnBelow   = 1 << 30
	outboxWarnAfter = 10 * time.Minute
	outboxFailAfter = time.Hour
	localTimeout    = 3 * time.Second
	pingTimeout     = 5 * time.Second // per hub node, the QUIC and protocol handshakes
)

// doctorOut receives the doctor's report when not nil (tests capture
// it); nil means os.Stdout at the time of writing.
var doctorOut io.Writer

// doctor checks an agent installation from the outside: the files, the
// hub, the running agent.
type doctor struct {
	configPath  string
	configFound bool
	configErr   error
	dataDir     string
	httpAddr    string
	token       string // for the running agent's API; default: the data dir's admin token
	software    string
	now         func() time.Time
	pingTimeout time.Duration
}

func runDoctor(args []string) error {
	d := &doctor{software: version, now: clock.Now, pingTimeout: pingTimeout}
	fs := newFlags("doctor")
	config := addConfigFlag(fs)
	fs.StringVar(&d.dataDir, "data-dir", "", "the agent's data directory (default: the config file's)")
	fs.StringVar(&d.httpAddr, "http-addr", installer.DefaultHTTPAddr, "the running agent's HTTP address")
	fs.StringVar(&d.token, "token", os.Getenv("TOUCHPOINT_AGENT_TOKEN"), "admin token for the agent's API (default: the data directory's)")
	asJSON := fs.Bool("json", false, "print the checks as JSON: checks[] with check, status (ok, warn, fail, skip), detail, fix")
	if err := fs.Parse(args); err != nil {
		return err
	}
	file, found, err := config.load()
	d.configPath, d.configFound, d.configErr = *config.path, found, err
	if err == nil {
		override(fs, "data-dir", &d.dataDir, file.DataDir)
		override(fs, "http-addr", &d.httpAddr, file.HTTPAddr)
	}
	if d.dataDir == "" {
		d.dataDir = installer.DefaultLayout(runtime.GOOS, os.Getenv).DataDir
	}
	findings := d.run(context.Background())
	out := doctorOut
	if out == nil {
		out = os.Stdout
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"checks": findings, "failed": countFailed(findings)}); err != nil {
			return err
		}
	} else {
		printFindings(out, findings)
	}
	if n := countFailed(findings); n > 0 {
		return fmt.Errorf("%d of %d checks failed", n, len(findings))
	}
	return nil
}

// run runs every check in order; a check that needs what an earlier one
// could not get is skipped.
func (d *doctor) run(ctx context.Context) []finding {
	out := []finding{d.checkConfig()}
	creds, f := d.checkEnrolment()
	out = append(out, f)
	if creds != nil {
		pings, f := d.checkHub(ctx, creds)
		out = append(out, f, d.checkAgentCertificate(creds), d.checkHubCertificate(pings), d.checkClock(pings))
	} else {
		for _, name := range []string{"hub", "agent certificate", "hub certificate", "clock"} {
			out = append(out, finding{Check: name, Status: statusSkip, Detail: "not enrolled"})
		}
	}
	out = append(out, d.checkDisk())
	sync, f := d.checkAgentRunning(ctx)
	out = append(out, f, d.checkStore(sync), d.checkOutbox(sync))
	return out
}

func countFailed(fs []finding) int {
	n := 0
	for _, f := range fs {
		if f.Status == statusFail {
			n++
		}
	}
	return n
}

// printFindings writes one line per check and, under a problem, what to do.
func printFindings(w io.Writer, fs []finding) {
	for _, f := range fs {
		fmt.Fprintf(w, "%-5s %-18s %s\n", f.Status, f.Check, f.Detail)
		if f.Fix != "" && f.Status != statusOK {
			fmt.Fprintf(w, "%-24s -> %s\n", "", f.Fix)
		}
	}
}

func (d *doctor) checkConfig() finding {
	f := finding{Check: "config"}
	switch {
	case d.configErr != nil:
		f.Status, f.Detail = statusFail, strings.ReplaceAll(d.configErr.Error(), "\n", "; ")
		f.Fix = "fix the keys named (touchpoint-agent config check --config " + d.configPath + ")"
	case !d.configFound:
		f.Status, f.Detail = statusSkip, d.configPath+" absent: using flags and defaults"
	default:
		f.Detail = d.configPath + " is valid"
	}
	return f
}

// days renders a duration in whole days for certificate lifetimes.
func days(d time.Duration) string {
	n := int(d.Round(24*time.Hour) / (24 * time.Hour))
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d day", n)
	}
	return fmt.Sprintf("%d days", n)
}
