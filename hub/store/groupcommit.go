package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// Group commit: concurrent Ingest calls on one node share a Raft entry.
// Each entry costs a log append on every node and one FSM transaction, and
// customers touched by several requests of a group are re-derived once, so
// 64 writers posting one event each cost about what one writer posting 64
// does.
const (
	// maxGroupEvents and maxGroupBytes bound one group (one Raft entry);
	// the bytes stay well below what a follower may forward to the leader.
	maxGroupEvents = 1000
	maxGroupBytes  = 2 << 20
	// groupCommitters is how many groups may be in flight at once: while
	// one is replicated and applied, the next one fills.
	groupCommitters = 16
	// groupApplyTimeout bounds one group's commit, retries included.
	groupApplyTimeout = 20 * time.Second
)

// ingestRequest is one Ingest call waiting for its group to commit.
type ingestRequest struct {
	events []state.IngestEvent
	size   int              // estimated encoded bytes
	reply  chan ingestReply // buffered: the committer never blocks on it
}

type ingestReply struct {
	results []protocol.Result
	err     error
}

// groupCommitter gathers ingest requests into groups and commits each
// group as one ingest command.
type groupCommitter struct {
	queue    chan *ingestRequest
	stop     chan struct{}
	stopOnce sync.Once
	apply    func(ctx context.Context, body *state.IngestBody) ([]protocol.Result, error)
	rules    state.IngestBody // MaxPerKind and SharedLimit, copied into every body
}

func newGroupCommitter(rules state.IngestBody, apply func(context.Context, *state.IngestBody) ([]protocol.Result, error)) *groupCommitter {
	g := &groupCommitter{queue: make(chan *ingestRequest, 4*maxGroupEvents), stop: make(chan struct{}), apply: apply, rules: rules}
	g.start()
	return g
}

func (g *groupCommitter) start() {
	for range groupCommitters {
		go g.run()
	}
}

// submit queues events and waits for their results, or for ctx to end
// (the events may still commit: ingest is idempotent, a retry is safe).
func (g *groupCommitter) submit(ctx context.Context, events []state.IngestEvent) ([]protocol.Result, error) {
	req := &ingestRequest{events: events, size: estimateSize(events), reply: make(chan ingestReply, 1)}
	select {
	case g.queue <- req:
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %v", ErrTimeout, ctx.Err())
	case <-g.stop:
		return nil, ErrClosed
	}
	select {
	case r := <-req.reply:
		return r.results, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %v", ErrTimeout, ctx.Err())
	}
}

func (g *groupCommitter) close() { g.stopOnce.Do(func() { close(g.stop) }) }

// run commits one group at a time: it waits for a first request, takes
// every request already queued behind it up to maxGroupEvents, commits
// them as one command and hands each request its share of the results.
func (g *groupCommitter) run() {
	for {
		var first *ingestRequest
		select {
		case first = <-g.queue:
		case <-g.stop:
			return
		}
		group := g.gather(first)
		g.commit(group)
	}
}

func (g *groupCommitter) gather(first *ingestRequest) []*ingestRequest {
	group := []*ingestRequest{first}
	n, size := len(first.events), first.size
	for n < maxGroupEvents && size < maxGroupBytes {
		select {
		case req := <-g.queue:
			group = append(group, req)
			n += len(req.events)
			size += req.size
		default:
			return group
		}
	}
	return group
}

// estimateSize is a cheap upper estimate of the events' encoded size.
func estimateSize(events []state.IngestEvent) int {
	n := 0
	for i := range events {
		e := &events[i].Event
		n += 128 + len(e.ID) + len(e.Channel) + len(e.Type) + len(e.Source) + len(e.Note) + len(e.Staff)
		h := &e.Customer
		n += len(h.CustomerID) + len(h.Email) + len(h.Phone) + len(h.WebID) + len(h.GivenName) + len(h.FamilyName) + len(h.BirthDate)
		if a := h.Address; a != nil {
			n += 64 + len(a.Line1) + len(a.City) + len(a.PostalCode) + len(a.Country)
		}
		if v := e.Vehicle; v != nil {
			n += 64 + len(v.VIN) + len(v.Model)
		}
		for k, v := range e.Attributes {
			n += 4 + len(k) + len(v)
		}
		for _, id := range events[i].Identifiers {
			n += 4 + len(id)
		}
	}
	return n
}

func (g *groupCommitter) commit(group []*ingestRequest) {
	body := state.IngestBody{MaxPerKind: g.rules.MaxPerKind, SharedLimit: g.rules.SharedLimit}
	for _, req := range group {
		body.Events = append(body.Events, req.events...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), groupApplyTimeout)
	defer cancel()
	results, err := g.apply(ctx, &body)
	if err == nil && len(results) != len(body.Events) {
		err = fmt.Errorf("ingest: %d results for %d events", len(results), len(body.Events))
	}
	for _, req := range group {
		if err != nil {
			req.reply <- ingestReply{err: err}
			continue
		}
		req.reply <- ingestReply{results: results[:len(req.events):len(req.events)]}
		results = results[len(req.events):]
	}
}
