package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// runAgentSync measures a fresh agent's initial sync of its dealer's
// scope: the hub is loaded with the scope first (bounded in time), then
// the agent starts from nothing and is timed until its cursor lag is 0
// and it holds every profile, with its memory sampled throughout.
func runAgentSync(ctx context.Context, b *bench) error {
	c, err := b.cluster()
	if err != nil {
		return err
	}
	leader, err := c.leader()
	if err != nil {
		return err
	}
	a, err := enrolAgent(b, "sync")
	if err != nil {
		return err
	}
	perCust := max(1, b.size.SyncEvents/b.size.SyncProfiles)
	loadFor := min(120*time.Second, b.remaining()/5)
	begin := time.Now()
	events, custs, err := loadScope(c, leader, "sync", a.zip, b.size.SyncProfiles, perCust, loadFor)
	if err != nil {
		return err
	}
	loadTook := time.Since(begin)
	fmt.Printf("# loaded %d events of %d customers into %s's scope in %s\n", events, custs, a.dealer, loadTook.Round(time.Second))
	if err := a.start(b); err != nil {
		return err
	}
	defer a.Stop()
	peak := samplePeak(a.Pid(), 200*time.Millisecond)
	took, progress, err := waitSynced(a, custs, min(4*time.Minute, b.remaining()/3))
	mem := peak.finish()
	scope := fmt.Sprintf("%d profiles / %d events", custs, events)
	note := "progress " + strings.Join(progress, " ")
	if err != nil {
		note = err.Error() + "; " + note
	}
	rate := float64(events) / took.Seconds()
	b.results.add(row{Workload: "sync", Metric: "initial sync of " + scope, Value: took.Seconds(), Unit: "s", Note: note})
	b.results.add(row{Workload: "sync", Metric: "initial sync rate", Value: rate, Unit: "events/s", Baseline: b.baseline[baseBadger], BaseName: baseBadger})
	projected := float64(b.size.SyncEvents) / rate
	pr := row{Workload: "sync", Metric: fmt.Sprintf("initial sync of %d events, projected at that rate", b.size.SyncEvents), Value: projected, Unit: "s", Target: atMost(60, "s")}
	if events < b.size.SyncEvents {
		pr.Note = fmt.Sprintf("hub ingest let only %d of %d events load in %s", events, b.size.SyncEvents, loadTook.Round(time.Second))
	}
	b.results.add(pr)
	b.results.add(row{Workload: "sync", Metric: "agent anonymous memory peak during sync, " + scope, Value: mem.Anonymous, Unit: "MiB", Target: atMost(256, "MiB")})
	b.results.add(row{Workload: "sync", Metric: "agent file-backed resident peak during sync", Value: mem.FileBacked, Unit: "MiB"})
	b.results.add(row{Workload: "sync", Metric: "hub load of the scope (batched http)", Value: float64(events) / loadTook.Seconds(), Unit: "events/s", Baseline: b.baseline[baseRaft100], BaseName: baseRaft100})
	return nil
}

// waitSynced polls the agent until it is connected, its cursor lag is 0
// and it holds want profiles, recording the progress it shows every few
// seconds.
func waitSynced(a *agentProc, want int, timeout time.Duration) (time.Duration, []string, error) {
	begin := time.Now()
	var progress []string
	last := time.Time{}
	err := proc.WaitEvery(timeout, time.Second, "initial sync", func() error {
		st, err := a.sync()
		if err != nil {
			return err
		}
		if time.Since(last) >= progressEvery(time.Since(begin)) {
			last = time.Now()
			line := fmt.Sprintf("%ds:%d/%d,lag=%d", int(time.Since(begin).Seconds()), st.Profiles, want, st.Hub.Behind)
			progress = append(progress, line)
			fmt.Println("# sync progress", line)
		}
		if !st.Hub.Connected || st.Hub.Behind > 0 || st.Profiles < want {
			return fmt.Errorf("%d of %d profiles, %d behind", st.Profiles, want, st.Hub.Behind)
		}
		return nil
	})
	return time.Since(begin), progress, err
}

// progressEvery samples the progress every second for the first ten
// seconds, then every five, so a long sync's note stays short.
func progressEvery(elapsed time.Duration) time.Duration {
	if elapsed < 10*time.Second {
		return time.Second
	}
	return 5 * time.Second
}
