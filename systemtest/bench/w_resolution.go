package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// largeResolutionNeeds is how long the 1M-event size of
// BenchmarkResolution needs at least (its preload); below that much
// remaining budget it is skipped with a note.
const largeResolutionNeeds = 6 * time.Minute

var benchLine = regexp.MustCompile(`^BenchmarkResolution/events=(\d+)\S*\s+\d+\s+([\d.]+) ns/op`)

// runResolution drives hub/state's BenchmarkResolution and reports the
// cost per event at each size, with the cost at the smallest size as
// the baseline (the target: at 1M at most 2x the cost at 10k).
func runResolution(ctx context.Context, b *bench) error {
	costs, order, err := goBenchResolution(ctx, b.deadline, "BenchmarkResolution", b.size.ResolutionTime, false)
	if len(order) == 0 {
		return fmt.Errorf("BenchmarkResolution printed no result: %v", err)
	}
	base := costs[order[0]]
	b.baseline["resolution"] = base
	for _, size := range order {
		b.results.add(resolutionRow(size, costs[size], base, order[0]))
	}
	if b.cfg.Quick || b.remaining() < largeResolutionNeeds {
		b.results.skip("resolution 1M", fmt.Sprintf("the 1M-event size needs its preload (about %s or more) and only %s of the budget is left (or --quick)", largeResolutionNeeds, b.remaining().Round(time.Second)))
		return nil
	}
	costs, _, err = goBenchResolution(ctx, b.deadline, "BenchmarkResolution/events=1000000", b.size.ResolutionTime, true)
	if ns, ok := costs[1_000_000]; ok {
		b.results.add(resolutionRow(1_000_000, ns, base, order[0]))
		return nil
	}
	b.results.skip("resolution 1M", fmt.Sprintf("did not finish within the time budget: %v", err))
	return nil
}

func resolutionRow(size int, ns, base float64, baseSize int) row {
	r := row{Workload: "resolution", Metric: fmt.Sprintf("cost per event at %d events", size), Value: ns / 1000, Unit: "us/event",
		Baseline: base / 1000, BaseName: fmt.Sprintf("at %d", baseSize)}
	if size >= 1_000_000 {
		r.Target = atMost(2*base/1000, "us/event (2x at 10k)")
	}
	return r
}

// goBenchResolution runs the benchmark in hub/state until deadline and
// returns ns/op by size in the order printed. The whole process group
// is killed at the deadline, test binary included.
func goBenchResolution(ctx context.Context, deadline time.Time, pattern, benchtime string, large bool) (map[int]float64, []int, error) {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", pattern, "-benchtime", benchtime, "-timeout", "30m", "./hub/state")
	cmd.Env = os.Environ()
	if large {
		cmd.Env = append(cmd.Env, "TOUCHPOINT_BENCH_LARGE=1")
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	costs := map[int]float64{}
	var order []int
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if m := benchLine.FindStringSubmatch(sc.Text()); m != nil {
			size, _ := strconv.Atoi(m[1])
			ns, _ := strconv.ParseFloat(m[2], 64)
			costs[size] = ns
			order = append(order, size)
		}
	}
	return costs, order, err
}
