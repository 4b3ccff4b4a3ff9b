package chaos

import (
	"fmt"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest"
	"github.com/touchpoint/touchpoint/systemtest/udpproxy"
)

// chaosPartitions cuts one agent off the hub — first for a simulated
// weekend with tens of thousands of events queued, then many short
// times — while two other agents carry on; after each heal the cut-off
// agent drains its outbox in order and the others are unaffected.
func chaosPartitions(t *testing.T, size chaosSize, seed uint64) chaosRow {
	r := newChaosRig(t, size, seed)
	customers := size.customers
	var proxies []*udpproxy.Proxy
	var addrs []string
	for i, n := range r.c.Nodes {
		p := udpproxy.Start(t, n.Agent, seed+uint64(i))
		proxies, addrs = append(proxies, p), append(addrs, p.Addr())
	}
	cut := r.addAgent("P-1", addrs...)
	r.addAgent("P-2")
	r.addAgent("P-3")
	partition := func(on bool) {
		for _, p := range proxies {
			p.Set(udpproxy.Faults{Partitioned: on})
		}
	}

	drain, catchUp := r.weekend(cut, partition, customers)
	w := newWorkload(r.h, 30*time.Millisecond)
	for i, a := range r.agents {
		w.recordAt(a, customers, 1_000_000, 5, newRand(seed, uint64(40+i)))
	}
	w.postAtHub(r.c, customers, 1_000_000, 10, newRand(seed, 49))
	rng := newRand(seed, 48)
	for range size.partitions {
		partition(true)
		time.Sleep(between(rng, 200*time.Millisecond, 2500*time.Millisecond))
		partition(false)
		time.Sleep(between(rng, 100*time.Millisecond, 1000*time.Millisecond))
	}
	lastHeal := time.Now()
	w.wait()
	v, conv := r.converge(lastHeal)
	return chaosRow{cycles: size.partitions + 1, v: v, converge: conv,
		note: fmt.Sprintf("weekend of %d events: outbox drained in %s, every replica equal to the hub in %s", size.weekendEvents,
			drain.Round(10*time.Millisecond), catchUp.Round(10*time.Millisecond))}
}

// weekend partitions cut, queues weekendEvents there, checks that another
// agent's event still reaches the hub meanwhile, heals and returns how
// long the outbox took to drain and every agent's feed to catch up.
func (r *chaosRig) weekend(cut *systemtest.Agent, partition func(bool), customers int) (drain, catchUp time.Duration) {
	t := r.t
	start := time.Now()
	partition(true)
	systemtest.Eventually(t, 60*time.Second, "partitioned agent sees the hub gone", func() error {
		if cut.SyncStatus().Hub.Connected {
			return fmt.Errorf("still connected")
		}
		return nil
	})
	t.Logf("weekend: %s sees the hub gone after %s", cut.Dealer, time.Since(start).Round(time.Millisecond))
	w := newWorkload(r.h, 0)
	rng := newRand(r.seed, 50)
	const batch = 200
	for n := 0; n < r.size.weekendEvents; n += batch {
		var events []customer.Event
		for i := 0; i < batch && n+i < r.size.weekendEvents; i++ {
			events = append(events, chaosEvent("dealer:"+cut.Dealer, "weekend", n+i, customers, rng))
		}
		w.sendUntilAcked(cut.Dealer, cut.URL("/v1/events"), events)
	}
	if st := cut.SyncStatus(); st.OutboxLen < r.size.weekendEvents {
		t.Errorf("outbox after the weekend %d, want at least %d queued", st.OutboxLen, r.size.weekendEvents)
	}
	t.Logf("weekend: %d events queued in %s", r.size.weekendEvents, time.Since(start).Round(time.Millisecond))
	probe := chaosEvent("dealer:"+r.agents[1].Dealer, "probe", 0, customers, rng)
	w.sendUntilAcked(r.agents[1].Dealer, r.agents[1].URL("/v1/events"), []customer.Event{probe})
	systemtest.Eventually(t, 30*time.Second, "another agent's event at the hub during the partition", func() error {
		found, err := systemtest.Search(r.c.Nodes[0].URL(""), "phone", probe.Customer.Phone)
		if err != nil {
			return err
		}
		return systemtest.HasEvent(found, probe.ID)
	})
	t.Logf("weekend: another agent's event at the hub, %s", time.Since(start).Round(time.Millisecond))
	healed := time.Now()
	partition(false)
	systemtest.Eventually(t, r.size.converge, "weekend outbox drained", func() error {
		if st := cut.SyncStatus(); st.OutboxLen != 0 {
			return fmt.Errorf("outbox %d", st.OutboxLen)
		}
		return nil
	})
	drain = time.Since(healed)
	if v, took := r.converge(healed); took < 0 {
		t.Errorf("not converged after the weekend: %s", v)
	}
	return drain, time.Since(healed)
}
