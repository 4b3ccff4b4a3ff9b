package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// runOutbox records events at an agent that cannot reach the hub, then
// lets it reach the hub and times the outbox drain.
func runOutbox(_ context.Context, b *bench) error {
	a, err := enrolAgent(b, "outbox")
	if err != nil {
		return err
	}
	hubs, err := setAgentHubs(a.Dir, []string{freeUDP()}) // nothing listens there
	if err != nil {
		return err
	}
	if err := a.start(b); err != nil {
		return err
	}
	begin := time.Now()
	recorded, err := recordOffline(a, b.size.OutboxEvents, min(75*time.Second, b.remaining()/6))
	recordTook := time.Since(begin)
	a.Stop()
	if err != nil {
		return err
	}
	b.results.add(row{Workload: "outbox", Metric: "offline recording at the agent, 100 events/request", Value: float64(recorded) / recordTook.Seconds(), Unit: "events/s",
		Baseline: b.baseline[baseBadger], BaseName: baseBadger})
	if _, err := setAgentHubs(a.Dir, hubs); err != nil {
		return err
	}
	if err := a.start(b); err != nil {
		return err
	}
	defer a.Stop()
	profiled := b.profileNodes("outbox drain", 10*time.Second)
	defer profiled()
	begin = time.Now()
	left := recorded
	err = proc.WaitEvery(min(3*time.Minute, b.remaining()/3), 250*time.Millisecond, "outbox drained", func() error {
		st, err := a.sync()
		if err != nil {
			return err
		}
		if left = st.OutboxLen; left > 0 {
			return fmt.Errorf("%d left", left)
		}
		return nil
	})
	took := time.Since(begin)
	drained := recorded - left
	r := row{Workload: "outbox", Metric: fmt.Sprintf("drain of %d events recorded offline", recorded), Value: took.Seconds(), Unit: "s"}
	if err != nil {
		r.Note = fmt.Sprintf("%d of %d drained when stopped", drained, recorded)
	}
	b.results.add(r)
	projected := took.Seconds() * float64(b.size.OutboxEvents) / float64(max(drained, 1))
	pr := row{Workload: "outbox", Metric: fmt.Sprintf("drain of %d events, projected at the measured rate", b.size.OutboxEvents), Value: projected, Unit: "s", Target: atMost(10, "s")}
	if recorded < b.size.OutboxEvents {
		pr.Note = fmt.Sprintf("agent recorded only %d of %d offline within the time bound", recorded, b.size.OutboxEvents)
	}
	b.results.add(pr)
	b.results.add(row{Workload: "outbox", Metric: "drain rate", Value: float64(drained) / took.Seconds(), Unit: "events/s", Baseline: b.baseline[baseRaft100], BaseName: baseRaft100})
	return nil
}

// recordOffline posts up to n showroom visits to the agent, 100 per
// request, for at most d.
func recordOffline(a *agentProc, n int, d time.Duration) (int, error) {
	done := 0
	stop := time.Now().Add(d)
	for done < n && time.Now().Before(stop) {
		batch := make([]customer.Event, 0, 100)
		for i := done; i < min(done+100, n); i++ {
			e := synthEvent("dealer:"+a.dealer, "off", i, 7_000_000+i/5, a.zip)
			e.Type = "showroom_visit"
			batch = append(batch, e)
		}
		if err := callWith(a.token, "POST", a.URL("/v1/events"), eventsJSON(batch), nil); err != nil {
			return done, fmt.Errorf("record offline: %w", err)
		}
		done += len(batch)
	}
	return done, nil
}

// setAgentHubs rewrites the hub addresses in the agent's enrolment
// record (the bench's own data directory) and returns the old ones.
func setAgentHubs(dir string, hubs []string) ([]string, error) {
	path := filepath.Join(dir, "agent.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var creds map[string]any
	if err := json.Unmarshal(data, &creds); err != nil {
		return nil, err
	}
	var old []string
	if list, ok := creds["hubs"].([]any); ok {
		for _, h := range list {
			old = append(old, fmt.Sprint(h))
		}
	}
	creds["hubs"] = hubs
	data, err = json.MarshalIndent(creds, "", "  ")
	if err != nil {
		return nil, err
	}
	return old, os.WriteFile(path, data, 0o600)
}
