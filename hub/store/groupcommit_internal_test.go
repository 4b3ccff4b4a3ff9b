package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// echoApply answers every event with a result naming it, and records the
// size of each group.
type echoApply struct {
	mu     sync.Mutex
	groups []int
	gate   chan struct{} // when set, each apply waits for it
	err    error
}

func (e *echoApply) apply(_ context.Context, body *state.IngestBody) ([]protocol.Result, error) {
	if e.gate != nil {
		<-e.gate
	}
	e.mu.Lock()
	e.groups = append(e.groups, len(body.Events))
	e.mu.Unlock()
	if e.err != nil {
		return nil, e.err
	}
	out := make([]protocol.Result, len(body.Events))
	for i, ev := range body.Events {
		out[i] = protocol.Result{ID: ev.Event.ID, Status: protocol.StatusCreated}
	}
	return out, nil
}

func requestEvents(w, n int) []state.IngestEvent {
	out := make([]state.IngestEvent, n)
	for i := range out {
		out[i] = state.IngestEvent{Event: customer.Event{ID: fmt.Sprintf("w%d-e%d", w, i), Source: "web:test"}}
	}
	return out
}

func TestGroupCommit_EachRequestGetsItsOwnResults(t *testing.T) {
	e := &echoApply{}
	g := stoppedCommitter(e)
	defer g.close()
	const writers = 64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := g.submit(context.Background(), requestEvents(w, 1+w%3))
			switch {
			case err != nil:
				errs <- err
			case len(res) != 1+w%3:
				errs <- fmt.Errorf("writer %d: %d results for %d events", w, len(res), 1+w%3)
			default:
				for i, r := range res {
					if want := fmt.Sprintf("w%d-e%d", w, i); r.ID != want {
						errs <- fmt.Errorf("writer %d: result %d is for %s, want %s", w, i, r.ID, want)
					}
				}
			}
		}()
	}
	waitQueued(t, g, writers)
	g.start()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(e.groups) >= writers {
		t.Errorf("%d writers made %d groups: nothing was shared", writers, len(e.groups))
	}
}

// stoppedCommitter is a committer whose goroutines start only when the
// test says so, so that requests can queue up first.
func stoppedCommitter(e *echoApply) *groupCommitter {
	return &groupCommitter{queue: make(chan *ingestRequest, 4*maxGroupEvents), stop: make(chan struct{}), apply: e.apply}
}

// waitQueued waits until n requests wait in the queue.
func waitQueued(t *testing.T, g *groupCommitter, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(g.queue) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d requests queued", len(g.queue), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestGroupCommit_BoundsAGroup(t *testing.T) {
	e := &echoApply{}
	g := stoppedCommitter(e)
	defer g.close()
	var wg sync.WaitGroup
	for w := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := g.submit(context.Background(), requestEvents(w, 100)); err != nil {
				t.Error(err)
			}
		}()
	}
	waitQueued(t, g, 40)
	g.start()
	wg.Wait()
	for _, n := range e.groups {
		if n > maxGroupEvents {
			t.Errorf("a group of %d events, bound %d", n, maxGroupEvents)
		}
	}
	if len(e.groups) < 4 {
		t.Errorf("4,000 events in %d groups, want at least 4", len(e.groups))
	}
}

func TestGroupCommit_FailureReachesEveryRequest(t *testing.T) {
	boom := errors.New("no leader")
	g := newGroupCommitter(state.IngestBody{}, (&echoApply{err: boom}).apply)
	defer g.close()
	if _, err := g.submit(context.Background(), requestEvents(0, 2)); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
}

func TestGroupCommit_CallerGivesUp(t *testing.T) {
	e := &echoApply{gate: make(chan struct{})}
	g := newGroupCommitter(state.IngestBody{}, e.apply)
	defer func() { close(e.gate); g.close() }()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.submit(ctx, requestEvents(0, 1)); !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
}
