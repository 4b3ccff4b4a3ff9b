package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// visiblePace is the pause between the events of the visibility run.
const visiblePace = 100 * time.Millisecond

// arrivals records when each agent first saw each customer.
type arrivals struct {
	mu   sync.Mutex
	seen map[[2]int]time.Time // (agent, event) -> time
	ids  map[string]int       // customer id -> event number
}

func (a *arrivals) note(agent int, cust string, at time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	n, ok := a.ids[cust]
	if !ok {
		return
	}
	if _, dup := a.seen[[2]int{agent, n}]; !dup {
		a.seen[[2]int{agent, n}] = at
	}
}

func (a *arrivals) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.seen)
}

// runVisible measures commit → visible: events posted to the leader, one
// per request, reach every subscribed agent of the dealer through its
// change feed. Latency runs from the hub's 200 (after commit) to the
// arrival of the change at each agent; an arrival before the 200 counts
// as 0.
func runVisible(ctx context.Context, b *bench) error {
	c, err := b.cluster()
	if err != nil {
		return err
	}
	dealer, zip, err := b.newDealer()
	if err != nil {
		return err
	}
	agents, err := connectSims(ctx, c, dealer, b.size.VisibleAgents)
	if err != nil {
		return err
	}
	defer closeSims(agents)
	seen := &arrivals{seen: map[[2]int]time.Time{}, ids: map[string]int{}}
	// Customer ids are known only after the commit; arrivals of unknown
	// ids are kept aside and matched afterwards.
	var early sync.Map
	for i, a := range agents {
		err := a.follow(ctx, 0, func(cust string, at time.Time) {
			seen.mu.Lock()
			_, known := seen.ids[cust]
			seen.mu.Unlock()
			if !known {
				early.LoadOrStore(fmt.Sprint(i, "/", cust), at)
			}
			seen.note(i, cust, at)
		})
		if err != nil {
			return err
		}
	}
	leader, err := c.leader()
	if err != nil {
		return err
	}
	committed := make([]time.Time, b.size.VisibleEvents)
	for n := range b.size.VisibleEvents {
		e := synthEvent("web:bench", fmt.Sprintf("vis-%s", dealer), n, 5_000_000+n, zip)
		var out struct {
			Results []struct {
				CustomerID string `json:"customer_id"`
			}
		}
		if err := c.call("POST", leader.URL("/v1/events"), eventsJSON([]customer.Event{e}), &out); err != nil {
			return err
		}
		committed[n] = time.Now()
		seen.mu.Lock()
		seen.ids[out.Results[0].CustomerID] = n
		seen.mu.Unlock()
		for i := range agents {
			if at, ok := early.Load(fmt.Sprint(i, "/", out.Results[0].CustomerID)); ok {
				seen.note(i, out.Results[0].CustomerID, at.(time.Time))
			}
		}
		time.Sleep(visiblePace)
	}
	want := len(agents) * len(committed)
	_ = proc.WaitFor(30*time.Second, "every change at every agent", func() error {
		if got := seen.count(); got < want {
			return fmt.Errorf("%d of %d", got, want)
		}
		return nil
	})
	var lat, onLeader, onFollowers latencies
	seen.mu.Lock()
	for k, at := range seen.seen {
		d := max(0, at.Sub(committed[k[1]]))
		lat.add(d)
		// Agent i is connected to node i%3 (see connectSimsTo).
		if c.nodes[k[0]%len(c.nodes)] == leader {
			onLeader.add(d)
		} else {
			onFollowers.add(d)
		}
	}
	seen.mu.Unlock()
	note := ""
	if missing := want - lat.count(); missing > 0 {
		note = fmt.Sprintf("%d of %d arrivals missing after 30 s", missing, want)
	}
	p50, p99 := lat.quantile(.5), lat.quantile(.99)
	base := b.baseline[baseQUICRTT]
	b.results.add(row{Workload: "visible", Metric: fmt.Sprintf("commit -> agent p50, %d agents", len(agents)), Value: p50, Unit: "ms", P50: p50, P99: p99,
		Baseline: base, BaseName: baseQUICRTT, Target: atMost(50, "ms"), Note: note})
	b.results.add(row{Workload: "visible", Metric: fmt.Sprintf("commit -> agent p99, %d agents", len(agents)), Value: p99, Unit: "ms",
		Baseline: b.baseline[baseQUICRTT], BaseName: baseQUICRTT, Target: atMost(250, "ms")})
	b.results.add(row{Workload: "visible", Metric: "commit -> agent, agents on the leader", Value: onLeader.quantile(.5), Unit: "ms", P50: onLeader.quantile(.5), P99: onLeader.quantile(.99)})
	b.results.add(row{Workload: "visible", Metric: "commit -> agent, agents on followers", Value: onFollowers.quantile(.5), Unit: "ms", P50: onFollowers.quantile(.5), P99: onFollowers.quantile(.99)})
	return nil
}
