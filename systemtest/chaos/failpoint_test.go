package chaos

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/systemtest"
)

// agentFailpoints arms the agent's failpoints: it exits right after
// sending a push before reading the ack, after the ack before marking
// the outbox, and after reading a feed batch before applying it.
const agentFailpoints = "push-after-send-before-ack=0.15,push-after-ack-before-mark=0.15,feed-after-receive-before-apply=0.05"

// chaosFailpoints runs an agent whose failpoints make it exit at the
// worst points of push and pull, restarts it each time, and checks that
// nothing acknowledged is lost or stored twice.
func chaosFailpoints(t *testing.T, size chaosSize, seed uint64) chaosRow {
	r := newChaosRig(t, size, seed)
	a := r.enrollAgent("F-1", t.TempDir()+"/F-1")
	env := []string{"TOUCHPOINT_FAILPOINTS=" + agentFailpoints}
	a.Proc = systemtest.StartProc(t, "agent-F-1", env, "touchpoint-agent", a.RunArgs()...)
	r.agents = append(r.agents, a)
	waitHealthy(t, a)

	const customers = 40
	ctx, stop := context.WithCancel(context.Background())
	restarts := make(chan int, 1)
	go func() { restarts <- superviseAgent(ctx, t, a, 10*size.agentKills) }()
	w := newWorkload(r.h, 10*time.Millisecond)
	w.recordAt(a, customers, size.proxyEvents, 5, newRand(seed, 100))
	w.postAtHub(r.c, customers, size.proxyEvents/2, 5, newRand(seed, 101))
	w.finish()
	stop()
	n := <-restarts

	// Converge with the failpoints off: the last crash may be anywhere.
	a.Kill()
	crashes := strings.Count(a.ReadLog(), "failpoint hit")
	a.Proc = systemtest.StartProc(t, "agent-F-1-clean", nil, "touchpoint-agent", a.RunArgs()...)
	waitHealthy(t, a)
	v, conv := r.converge(time.Now())
	if q := quarantined(a); q > 0 { // an exit damages nothing: see chaosAgentKills
		t.Errorf("%d data directories quarantined after exits at failpoints", q)
	}
	return chaosRow{cycles: n, v: v, converge: conv, note: fmt.Sprintf("%d exits at failpoints: %s", crashes, agentFailpoints)}
}

// superviseAgent restarts a when its process has exited, at most max
// times, until ctx ends; it returns the number of restarts.
func superviseAgent(ctx context.Context, t *testing.T, a *systemtest.Agent, max int) int {
	n := 0
	for ctx.Err() == nil && n < max {
		if a.Exited() {
			a.MustStart(t)
			n++
		}
		pauseCtx(ctx, 50*time.Millisecond)
	}
	return n
}
