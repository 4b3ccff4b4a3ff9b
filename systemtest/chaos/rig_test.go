package chaos

import (
	"fmt"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest"
)

// chaosRig is a 3-node hub and its agents under a chaos scenario, with
// the history of what was acknowledged.
type chaosRig struct {
	t      *testing.T
	c      *systemtest.Cluster
	agents []*systemtest.Agent
	h      *history
	size   chaosSize
	seed   uint64
}

func newChaosRig(t *testing.T, size chaosSize, seed uint64) *chaosRig {
	t.Helper()
	return &chaosRig{t: t, c: systemtest.StartCluster(t, 3), h: newHistory(), size: size, seed: seed}
}

// addAgent adds a dealer in the chaos market and runs its agent; with
// hubs given, the agent dials only those (see TOUCHPOINT_HUB_ADDRS).
func (r *chaosRig) addAgent(dealer string, hubs ...string) *systemtest.Agent {
	r.t.Helper()
	r.c.AddDealer(dealer, chaosMarket)
	var a *systemtest.Agent
	if len(hubs) == 0 {
		a = r.c.StartAgent(dealer)
	} else {
		a = r.c.StartPinnedAgent(dealer, hubs)
	}
	r.agents = append(r.agents, a)
	return a
}

// views reads every hub node and every agent cache for the history's
// customers.
func (r *chaosRig) views() (hub, agents []replicaView, err error) {
	phones := r.h.customerPhones()
	for _, n := range r.c.Nodes {
		v, err := readReplica(n.ID, phones, func(p string) ([]customer.Profile, error) { return systemtest.Search(n.URL(""), "phone", p) })
		if err != nil {
			return nil, nil, err
		}
		hub = append(hub, v)
	}
	for _, a := range r.agents {
		v, err := readReplica(a.Dealer, phones, func(p string) ([]customer.Profile, error) { return a.Cached("phone", p) })
		if err != nil {
			return nil, nil, err
		}
		agents = append(agents, v)
	}
	return hub, agents, nil
}

// drained reports whether every agent is connected and has pushed its
// outbox: the cheap signal polled before the full check.
func (r *chaosRig) drained() error {
	for _, a := range r.agents {
		var st struct {
			OutboxLen int `json:"outbox_len"`
			Hub       struct {
				Connected bool   `json:"connected"`
				Behind    uint64 `json:"cursor_lag"`
			} `json:"hub"`
		}
		if err := systemtest.Call("GET", a.URL("/v1/sync"), nil, &st); err != nil {
			return err
		}
		// The feed's lag is not asked for: it counts superseded changes
		// too, and a replica whose profiles equal the hub's has converged.
		if st.OutboxLen != 0 || !st.Hub.Connected {
			return fmt.Errorf("%s: outbox %d, connected %v, feed %d behind", a.Dealer, st.OutboxLen, st.Hub.Connected, st.Hub.Behind)
		}
	}
	return nil
}

// converge polls until every replica agrees with the history or the
// size's bound passes, and returns the last verdict and the time from
// lastHeal to convergence: when every replica held the sentinel posted
// after the drain (see sentinel), if the first full check then passed;
// otherwise the start of the check that passed.
func (r *chaosRig) converge(lastHeal time.Time) (verdict, time.Duration) {
	deadline := lastHeal.Add(r.size.converge)
	var v verdict
	lastLog := time.Now()
	sentinelSent := false
	for {
		start := time.Now()
		err := r.drained()
		if err != nil && time.Since(lastLog) > 2*time.Second {
			r.t.Logf("converging, %s after the last heal: %v", time.Since(lastHeal).Round(time.Second), err)
			lastLog = time.Now()
		}
		if err == nil {
			var held time.Time
			var ok bool
			if !sentinelSent { // after a failed check, the next check times it
				sentinelSent = true
				until := time.Now().Add(sentinelWait)
				if deadline.Before(until) {
					until = deadline
				}
				held, ok = r.sentinel(until)
			}
			var hub, agents []replicaView
			if hub, agents, err = r.views(); err == nil {
				if v = r.h.check(hub, agents); v.ok() {
					at, how := start, "the start of the full check that passed"
					if ok {
						at, how = held, "every replica held the sentinel"
					}
					r.t.Logf("converged %s after the last heal (%s; the full check took %s)",
						at.Sub(lastHeal).Round(10*time.Millisecond), how, time.Since(start).Round(10*time.Millisecond))
					return v, at.Sub(lastHeal)
				}
				err = fmt.Errorf("%s", v)
			}
			// Reading every replica takes seconds with tens of thousands of
			// events: the log says how coarse the convergence time is.
			r.t.Logf("not yet converged %s after the last heal (the check took %s): %.200v",
				start.Sub(lastHeal).Round(10*time.Millisecond), time.Since(start).Round(10*time.Millisecond), err)
		}
		if time.Now().After(deadline) {
			r.t.Errorf("not converged %s after the last heal: %v", r.size.converge, err)
			if v.acked == 0 {
				v = r.finalVerdict()
			}
			return v, -1
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// finalVerdict checks whatever the replicas hold now.
func (r *chaosRig) finalVerdict() verdict {
	hub, agents, err := r.views()
	if err != nil {
		r.t.Errorf("read replicas: %v", err)
	}
	return r.h.check(hub, agents)
}
