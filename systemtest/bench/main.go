package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// binDir holds touchpoint-hub and touchpoint-agent.
var binDir string

// config is what the flags say.
type config struct {
	Bin    string
	Only   []string
	JSON   string
	MD     string
	Quick  bool
	Budget time.Duration
	Keep   bool
	// Profile, when set, is a directory for CPU profiles of every hub
	// node, taken during each ingest and visibility run.
	Profile string
}

// workload is one named benchmark.
type workload struct {
	name string
	run  func(ctx context.Context, b *bench) error
}

var workloads = []workload{
	{"baselines", runBaselines},
	{"hubmem", runHubMemory}, // first: on a hub that has not yet taken the ingest load
	{"ingest", runIngest},
	{"visible", runVisible},
	{"lookup", runLookup},
	{"agentsync", runAgentSync},
	{"outbox", runOutbox},
	{"resolution", runResolution},
}

func main() {
	cfg := parseFlags()
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags() config {
	var cfg config
	var only string
	flag.StringVar(&cfg.Bin, "bin", "", "directory with touchpoint-hub and touchpoint-agent (default: build them)")
	flag.StringVar(&only, "only", "", "comma-separated workloads to run: "+workloadNames())
	flag.StringVar(&cfg.JSON, "json", "", "also write the results as JSON to this file")
	flag.StringVar(&cfg.MD, "markdown", "", "also write the machine and the table as Markdown to this file")
	flag.BoolVar(&cfg.Quick, "quick", false, "small sizes: a smoke run of every workload")
	flag.DurationVar(&cfg.Budget, "budget", 14*time.Minute, "total time budget; workloads that would overrun it are skipped")
	flag.BoolVar(&cfg.Keep, "keep", false, "keep the data directories and logs")
	flag.StringVar(&cfg.Profile, "profile", "", "write CPU profiles of every hub node during ingest, visibility and outbox drain runs to this directory")
	flag.Parse()
	if only != "" {
		cfg.Only = strings.Split(only, ",")
	}
	return cfg
}

func workloadNames() string {
	var names []string
	for _, w := range workloads {
		names = append(names, w.name)
	}
	return strings.Join(names, ",")
}

func run(cfg config) error {
	for _, name := range cfg.Only {
		if !slices.ContainsFunc(workloads, func(w workload) bool { return w.name == name }) {
			return fmt.Errorf("--only: unknown workload %q (known: %s)", name, workloadNames())
		}
	}
	dir, err := os.MkdirTemp("", "touchpoint-bench-")
	if err != nil {
		return err
	}
	if !cfg.Keep {
		defer os.RemoveAll(dir)
	} else {
		fmt.Println("data and logs in", dir)
	}
	if binDir = cfg.Bin; binDir == "" {
		binDir = filepath.Join(dir, "bin")
		if err := proc.Build(binDir, false); err != nil {
			return err
		}
	}
	b := newBench(cfg, dir)
	defer b.close()
	stopOnSignal(b, dir, cfg.Keep)
	b.results.Machine = machine()
	fmt.Printf("machine: %s\n", machineLine(b.results.Machine))
	printRows(os.Stdout, nil, false)
	for _, w := range workloads {
		if len(cfg.Only) > 0 && !slices.Contains(cfg.Only, w.name) {
			continue
		}
		if b.remaining() < 10*time.Second {
			b.results.skip(w.name, "time budget spent")
			continue
		}
		start := time.Now()
		if err := w.run(context.Background(), b); err != nil {
			b.results.skip(w.name, "failed: "+err.Error())
		}
		fmt.Printf("# %s took %s\n", w.name, time.Since(start).Round(time.Second))
	}
	fmt.Println()
	printRows(os.Stdout, b.results.Rows, false)
	for _, s := range b.results.Skipped {
		fmt.Println("skipped:", s)
	}
	if cfg.MD != "" {
		if err := b.results.writeMarkdown(cfg.MD); err != nil {
			return err
		}
	}
	if cfg.JSON != "" {
		return b.results.writeJSON(cfg.JSON)
	}
	return nil
}

// stopOnSignal stops the hub and agents the run started when the run is
// interrupted, so no process outlives it.
func stopOnSignal(b *bench, dir string, keep bool) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		fmt.Fprintln(os.Stderr, "bench: interrupted, stopping the hub and agents")
		b.stopAll()
		if !keep {
			os.RemoveAll(dir)
		}
		os.Exit(130)
	}()
}
