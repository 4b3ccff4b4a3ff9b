package chaos

import (
	"fmt"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest"
)

const (
	// sentinelPhone belongs to no workload customer (+1312555xxxx).
	sentinelPhone = "+17735552671"
	// sentinelWait bounds the wait for the sentinel: a node or agent that
	// is down leaves the timing to the full check.
	sentinelWait = 30 * time.Second
)

// sentinel times convergence more finely than the full check can (reading
// every replica takes seconds with tens of thousands of events). Once the
// outboxes are empty and the workload has stopped, it posts one event at
// the hub for a customer in every agent's market and waits until every
// hub node and every agent holds it. A dealer's feed is ordered and an
// agent applies it in order, so an agent holding the sentinel holds every
// change committed before it; a hub node holding it has applied every
// entry before it. It returns when that was first true, or false when the
// deadline passed first. The full check still decides whether the
// replicas agree.
func (r *chaosRig) sentinel(deadline time.Time) (time.Time, bool) {
	e := systemtest.NewEvent(fmt.Sprintf("sentinel-%d", time.Now().UnixNano()), "web:chaos-sentinel", "page_view", sentinelPhone, time.Now())
	e.Customer.Address = &customer.Address{PostalCode: chaosMarket + "99", Country: "US"}
	for !r.postAnywhere(e) {
		if time.Now().After(deadline) {
			return time.Time{}, false
		}
		time.Sleep(100 * time.Millisecond)
	}
	posted, lastLog := time.Now(), time.Now()
	for time.Now().Before(deadline) {
		lacking := r.lacking(e.ID)
		if len(lacking) == 0 {
			return time.Now(), true
		}
		if time.Since(lastLog) > 2*time.Second {
			r.t.Logf("sentinel posted %s ago; not yet at %v", time.Since(posted).Round(time.Second), lacking)
			lastLog = time.Now()
		}
		time.Sleep(25 * time.Millisecond)
	}
	return time.Time{}, false
}

// postAnywhere posts e at the first hub node that commits it.
func (r *chaosRig) postAnywhere(e customer.Event) bool {
	for _, n := range r.c.Nodes {
		if systemtest.Call("POST", n.URL("/v1/events"), map[string]any{"events": []customer.Event{e}}, nil) == nil {
			return true
		}
	}
	return false
}

// lacking names the hub nodes and agents that do not have the event yet.
func (r *chaosRig) lacking(id string) []string {
	var out []string
	for _, n := range r.c.Nodes {
		if found, err := systemtest.Search(n.URL(""), "phone", sentinelPhone); err != nil || systemtest.HasEvent(found, id) != nil {
			out = append(out, n.ID)
		}
	}
	for _, a := range r.agents {
		if found, err := a.Cached("phone", sentinelPhone); err != nil || systemtest.HasEvent(found, id) != nil {
			out = append(out, a.Dealer)
		}
	}
	return out
}
