package chaos

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest"
	"github.com/touchpoint/touchpoint/systemtest/udpproxy"
)

// clockAgent is an agent whose wall clock the test sets through its
// offset file (TOUCHPOINT_CLOCK_FILE).
type clockAgent struct {
	*systemtest.Agent
	file  string
	skew  time.Duration // fixed offset; 0 for the agent whose clock jumps
	jumps bool
}

// clockJumps are the offsets the jumping agent's clock moves between:
// back more than a day, forward hours, back to true time.
var clockJumps = []string{"-26h", "+3h", "-90m", "+26h", "0s", "-40h", "+45m"}

// chaosClockSkew runs agents whose clocks are a day behind, hours ahead
// and jumping back and forth while staff record events, offline and
// online. Nothing may be lost, every agent must stay connected (it
// verifies the hub's certificate on its own clock), and the hub's
// timelines must follow occurred_at as given.
func chaosClockSkew(t *testing.T, size chaosSize, seed uint64) chaosRow {
	r := newChaosRig(t, size, seed)
	var proxies []*udpproxy.Proxy
	var addrs []string
	for i, n := range r.c.Nodes {
		p := udpproxy.Start(t, n.Agent, seed+uint64(i))
		proxies, addrs = append(proxies, p), append(addrs, p.Addr())
	}
	agents := []*clockAgent{
		r.startClockAgent("C-behind", addrs, -26*time.Hour, false),
		r.startClockAgent("C-ahead", addrs, 3*time.Hour, false),
		r.startClockAgent("C-jumps", addrs, 0, true),
	}
	ctx, stopJumps := context.WithCancel(context.Background())
	jumped := make(chan int, 1)
	go func() { jumped <- jumpClock(ctx, t, agents[2].file, newRand(seed, 60)) }()

	const customers = 60
	w := newWorkload(r.h, 20*time.Millisecond)
	times := newSentTimes()
	for i, a := range agents {
		w.recordTimed(a, customers, size.clockEvents, times, newRand(seed, uint64(61+i)))
	}
	rng := newRand(seed, 69)
	for range size.partitions {
		setPartition(proxies, true)
		time.Sleep(between(rng, 300*time.Millisecond, 2500*time.Millisecond))
		setPartition(proxies, false)
		time.Sleep(between(rng, 300*time.Millisecond, 1500*time.Millisecond))
	}
	w.finish()
	stopJumps()
	jumps := <-jumped
	lastHeal := time.Now()
	v, conv := r.converge(lastHeal)

	hub, agentViews, err := r.views()
	if err != nil {
		t.Errorf("read replicas for the timeline check: %v", err)
	}
	for _, view := range append(hub, agentViews...) {
		for _, p := range timelineProblems(view, times, agents) {
			v.unequal++
			v.problem("%s", p)
			t.Errorf("%s", p)
		}
	}
	certErrs := 0
	for _, a := range agents {
		certErrs += a.certificateErrors(t)
	}
	return chaosRow{cycles: size.partitions, v: v, converge: conv,
		note: fmt.Sprintf("skews -26h, +3h and %d jumps over %v; %d certificate errors; timelines in occurred_at order", jumps, clockJumps, certErrs)}
}

// startClockAgent enrols a dealer and runs its agent through the proxies
// with its clock offset by skew.
func (r *chaosRig) startClockAgent(dealer string, hubs []string, skew time.Duration, jumps bool) *clockAgent {
	t := r.t
	t.Helper()
	a := &clockAgent{Agent: r.enrollAgent(dealer, filepath.Join(t.TempDir(), dealer)), skew: skew, jumps: jumps}
	a.file = filepath.Join(t.TempDir(), "clock-offset")
	writeOffset(t, a.file, skew.String())
	env := []string{"TOUCHPOINT_HUB_ADDRS=" + strings.Join(hubs, ","), "TOUCHPOINT_CLOCK_FILE=" + a.file}
	a.Proc = systemtest.StartProc(t, "agent-"+dealer, env, "touchpoint-agent", a.RunArgs()...)
	r.agents = append(r.agents, a.Agent)
	systemtest.Eventually(t, 30*time.Second, dealer+" agent connected with its clock off by "+skew.String(), func() error {
		if st := a.SyncStatus(); !st.Hub.Connected {
			return fmt.Errorf("not connected: %s", st.Hub.LastError)
		}
		return nil
	})
	return a
}

func writeOffset(t *testing.T, file, offset string) {
	// Written to a temporary file and renamed, so the agent never reads
	// half an offset.
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, []byte(offset+"\n"), 0o600); err != nil {
		t.Errorf("write clock offset: %v", err)
		return
	}
	if err := os.Rename(tmp, file); err != nil {
		t.Errorf("write clock offset: %v", err)
	}
}

// jumpClock moves the offset in file between clockJumps until ctx ends,
// and returns how many jumps it made.
func jumpClock(ctx context.Context, t *testing.T, file string, rng *rand.Rand) int {
	n := 0
	for ; ctx.Err() == nil && n < 100_000; n++ {
		writeOffset(t, file, clockJumps[rng.IntN(len(clockJumps))])
		pauseCtx(ctx, between(rng, 700*time.Millisecond, 2*time.Second))
	}
	return n
}

func setPartition(proxies []*udpproxy.Proxy, on bool) {
	for _, p := range proxies {
		p.Set(udpproxy.Faults{Partitioned: on})
	}
}

// sentTimes remembers each event's occurred_at as sent (zero: left to
// the agent) and when the agent was asked to record it.
type sentTimes struct {
	mu    sync.Mutex
	byKey map[string]sentTime
}

type sentTime struct {
	given         time.Time // zero: the agent sets it from its clock
	asked, acked  time.Time // by the test's clock
	dealer, label string
}

func newSentTimes() *sentTimes { return &sentTimes{byKey: map[string]sentTime{}} }

func (s *sentTimes) note(e customer.Event, dealer string, asked, acked time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byKey[e.Key()] = sentTime{given: e.OccurredAt, asked: asked, acked: acked, dealer: dealer, label: e.ID}
}

// recordTimed records max events at a, a third of them without
// occurred_at (the agent's clock sets it), the rest with times scattered
// over the last month so the timeline order differs from the sending
// order.
func (w *workload) recordTimed(a *clockAgent, customers, max int, times *sentTimes, r *rand.Rand) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		const batch = 5
		for n := 0; n < max && w.ctx.Err() == nil; n += batch {
			var events []customer.Event
			for i := n; i < n+batch && i < max; i++ {
				e := chaosEvent("dealer:"+a.Dealer, a.Dealer+w.tag, i, customers, r)
				e.OccurredAt = time.Now().UTC().Add(-between(r, 0, 30*24*time.Hour)).Truncate(time.Millisecond)
				if r.IntN(3) == 0 {
					e.OccurredAt = time.Time{}
				}
				events = append(events, e)
			}
			asked := time.Now()
			w.sendUntilAcked(a.Dealer, a.URL("/v1/events"), events)
			acked := time.Now()
			for _, e := range events {
				times.note(e, a.Dealer, asked, acked)
			}
		}
	}()
}

// timelineProblems checks one replica: each profile's events in
// occurred_at order, each given occurred_at kept as given, and each one
// the agent set taken from that agent's (skewed) clock.
func timelineProblems(view replicaView, times *sentTimes, agents []*clockAgent) []string {
	skews := map[string]*clockAgent{}
	for _, a := range agents {
		skews[a.Dealer] = a
	}
	times.mu.Lock()
	defer times.mu.Unlock()
	var out []string
	for id, p := range view.profiles {
		for i := range p.Events {
			e := &p.Events[i]
			if i > 0 && e.Before(&p.Events[i-1]) {
				out = append(out, fmt.Sprintf("%s: profile %s has %s (%s) after %s (%s)", view.name, id, e.ID, e.OccurredAt, p.Events[i-1].ID, p.Events[i-1].OccurredAt))
			}
			st, ok := times.byKey[e.Key()]
			if !ok {
				continue
			}
			if msg := st.check(e.OccurredAt, skews[st.dealer]); msg != "" {
				out = append(out, fmt.Sprintf("%s: event %s %s", view.name, st.label, msg))
			}
		}
		if len(out) >= 10 {
			return out
		}
	}
	return out
}

// check compares an event's stored occurred_at with what was sent: the
// given time exactly, or for a fixed-skew agent its clock's time while
// it recorded the event (to the second it truncates to).
func (st sentTime) check(got time.Time, a *clockAgent) string {
	if !st.given.IsZero() {
		if !got.Equal(st.given) {
			return fmt.Sprintf("occurred_at %s, sent %s", got, st.given)
		}
		return ""
	}
	if a == nil || a.jumps {
		return ""
	}
	lo, hi := st.asked.Add(a.skew).Add(-2*time.Second), st.acked.Add(a.skew).Add(2*time.Second)
	if got.Before(lo) || got.After(hi) {
		return fmt.Sprintf("occurred_at %s set by the agent, want its clock (%s off) between %s and %s", got, a.skew, lo.UTC(), hi.UTC())
	}
	return ""
}

// certificateErrors counts the agent's log lines about a certificate
// it could not verify (not yet valid, expired, unknown authority).
func (a *clockAgent) certificateErrors(t *testing.T) int {
	n := 0
	for _, line := range strings.Split(a.ReadLog(), "\n") {
		if strings.Contains(line, "x509:") || strings.Contains(line, "certificate has expired or is not yet valid") {
			if n == 0 {
				t.Errorf("%s could not verify a certificate on its clock: %s", a.Dealer, line)
			}
			n++
		}
	}
	return n
}
