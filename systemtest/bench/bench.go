package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// sizes are the counts and durations of the workloads.
type sizes struct {
	IngestFor      time.Duration // each ingest workload
	PushAgents     int
	VisibleAgents  int
	VisibleEvents  int
	LookupSizes    []int
	SyncProfiles   int
	SyncEvents     int
	OutboxEvents   int
	HubAgents      int
	ResolutionTime string // -benchtime of BenchmarkResolution
}

func sizesFor(quick bool) sizes {
	if quick {
		return sizes{IngestFor: 3 * time.Second, PushAgents: 10, VisibleAgents: 20, VisibleEvents: 20,
			LookupSizes: []int{5_000, 20_000}, SyncProfiles: 1_000, SyncEvents: 10_000, OutboxEvents: 2_000,
			HubAgents: 50, ResolutionTime: "200x"}
	}
	return sizes{IngestFor: 15 * time.Second, PushAgents: 50, VisibleAgents: 200, VisibleEvents: 100,
		LookupSizes: []int{100_000, 1_000_000}, SyncProfiles: 100_000, SyncEvents: 1_000_000, OutboxEvents: 50_000,
		HubAgents: 1000, ResolutionTime: "2000x"}
}

// bench is the state shared by the workloads of one run.
type bench struct {
	cfg      config
	dir      string
	size     sizes
	deadline time.Time
	results  results
	hub      *cluster
	baseline map[string]float64 // measured baselines by name
	dealers  int

	mu    sync.Mutex
	procs []*proc.Proc // started processes, stopped at the end
}

func newBench(cfg config, dir string) *bench {
	return &bench{cfg: cfg, dir: dir, size: sizesFor(cfg.Quick), deadline: time.Now().Add(cfg.Budget), baseline: map[string]float64{}}
}

func (b *bench) remaining() time.Duration { return time.Until(b.deadline) }

// cluster starts the shared 3-node hub on first use.
func (b *bench) cluster() (*cluster, error) {
	if b.hub != nil {
		return b.hub, nil
	}
	dir := filepath.Join(b.dir, "hub")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	c, err := startCluster(dir, 3, b.cfg.Profile != "")
	if err != nil {
		return nil, err
	}
	b.hub = c
	for _, n := range c.nodes {
		b.track(n.Proc)
	}
	return c, nil
}

// newDealer registers a fresh dealer with its own market prefix and
// returns its id and that prefix (3 digits).
func (b *bench) newDealer() (string, string, error) {
	c, err := b.cluster()
	if err != nil {
		return "", "", err
	}
	b.dealers++
	id, zip := fmt.Sprintf("D-%03d", b.dealers), fmt.Sprintf("%03d", 100+b.dealers)
	return id, zip, c.addDealer(id, zip)
}

func (b *bench) close() { b.stopAll() }

// stopAll stops every process the run started that is still running.
func (b *bench) stopAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.procs {
		p.Stop()
	}
	b.procs = nil
}

// track remembers a started process so stopAll can end it.
func (b *bench) track(p *proc.Proc) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.procs = append(b.procs, p)
}

// machine describes where the run happened.
func machine() map[string]string {
	m := map[string]string{
		"cpus": fmt.Sprint(runtime.NumCPU()), "go": runtime.Version(), "os": runtime.GOOS + "/" + runtime.GOARCH,
		"date": time.Now().UTC().Format(time.RFC3339),
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m["cpu"] = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if line, _, ok := strings.Cut(string(b), "\n"); ok {
			m["memory"] = strings.Join(strings.Fields(line)[1:], " ")
		}
	}
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m["commit"] = strings.TrimSpace(string(out))
	}
	return m
}

func machineLine(m map[string]string) string {
	return fmt.Sprintf("%s CPUs (%s), %s memory, %s %s, commit %s, %s", m["cpus"], m["cpu"], m["memory"], m["go"], m["os"], m["commit"], m["date"])
}
