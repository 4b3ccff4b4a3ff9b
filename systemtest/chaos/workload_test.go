package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest"
)

// chaosMarket is every chaos dealer's market; every chaos customer lives
// in it, so every acknowledged event belongs in every agent's scope.
const chaosMarket = "606"

// chaosEvent makes event n of a source for one of customers customers.
func chaosEvent(source, prefix string, n, customers int, r *rand.Rand) customer.Event {
	c := r.IntN(customers)
	e := systemtest.NewEvent(fmt.Sprintf("%s-%07d", prefix, n), source, "showroom_visit", fmt.Sprintf("+1312555%04d", c%10000), time.Now())
	if source[:4] == "web:" {
		e.Type = "page_view"
	}
	e.Customer.Address = &customer.Address{PostalCode: fmt.Sprintf("606%02d", c%100), Country: "US"}
	return e
}

// workload sends events to replicas in the background until stopped or
// until each loop has sent its bound.
type workload struct {
	h      *history
	stop   context.CancelFunc
	ctx    context.Context
	wg     sync.WaitGroup
	pause  time.Duration // between sends, to leave the machine to the faults
	tag    string        // added to event ids, to keep runs of one test apart
	failed sync.Map      // loop name -> last error, for the log
}

func newWorkload(h *history, pause time.Duration) *workload {
	ctx, cancel := context.WithCancel(context.Background())
	return &workload{h: h, ctx: ctx, stop: cancel, pause: pause}
}

// wait stops every loop and waits for them.
func (w *workload) wait() {
	w.stop()
	w.wg.Wait()
}

// recordAt records up to max events at agent a, batch at a time, like
// staff would: an answer that is not 2xx (the agent is down, the disk
// full) makes it send the same batch again later.
func (w *workload) recordAt(a *systemtest.Agent, customers, max, batch int, r *rand.Rand) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		source := "dealer:" + a.Dealer
		for n := 0; n < max && w.ctx.Err() == nil; {
			events := make([]customer.Event, 0, batch)
			for i := 0; i < batch && n+i < max; i++ {
				events = append(events, chaosEvent(source, a.Dealer+w.tag, n+i, customers, r))
			}
			w.sendUntilAcked(a.Dealer, a.URL("/v1/events"), events)
			n += len(events)
		}
	}()
}

// postAtHub posts up to max web events to random hub nodes.
func (w *workload) postAtHub(c *systemtest.Cluster, customers, max, batch int, r *rand.Rand) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		for n := 0; n < max && w.ctx.Err() == nil; {
			events := make([]customer.Event, 0, batch)
			for i := 0; i < batch && n+i < max; i++ {
				events = append(events, chaosEvent("web:zot.example", "web"+w.tag, n+i, customers, r))
			}
			w.sendUntilAcked("hub", c.Nodes[r.IntN(len(c.Nodes))].URL("/v1/events"), events)
			n += len(events)
		}
	}()
}

// sendUntilAcked posts events until they are acknowledged or the
// workload stops (then they stay unacknowledged in the history).
func (w *workload) sendUntilAcked(name, url string, events []customer.Event) {
	for _, e := range events {
		w.h.sent(e)
	}
	for w.ctx.Err() == nil {
		var out struct {
			Results []struct{ ID, Status string }
		}
		err := systemtest.Call("POST", url, map[string]any{"events": events}, &out)
		if err == nil && len(out.Results) == len(events) {
			for i, res := range out.Results {
				if res.Status == "created" || res.Status == "duplicate" {
					w.h.acked(events[i])
				}
			}
			pauseCtx(w.ctx, w.pause)
			return
		}
		w.failed.Store(name, fmt.Sprint(err))
		pauseCtx(w.ctx, 50*time.Millisecond) // the replica is down: try again soon
	}
}

func pauseCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// waitHealthy waits until the agent's HTTP API answers again.
func waitHealthy(t *testing.T, a *systemtest.Agent) {
	t.Helper()
	systemtest.Eventually(t, 60*time.Second, a.Dealer+" agent answering", func() error {
		return systemtest.Call("GET", a.URL("/healthz"), nil, nil)
	})
}
