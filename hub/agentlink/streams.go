package agentlink

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/fleet"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// serveControl reads the agent's health reports until the stream ends.
// It also renews the agent's certificate on request.
func (sess *session) serveControl(st *quic.Stream) {
	defer st.Close()
	for {
		t, body, err := protocol.ReadFrame(st)
		if err != nil {
			return
		}
		switch t {
		case protocol.TypeStatus:
			var msg protocol.Status
			if protocol.Unmarshal(body, &msg) == nil {
				sess.recordStatus(&msg)
			}
		case protocol.TypeRenew:
			if err := sess.renew(st, body); err != nil {
				sess.log.Warn("certificate renewal refused", "err", err)
				_ = protocol.WriteError(st, protocol.CodeBadRequest, err.Error())
			}
		default:
			_ = protocol.WriteError(st, protocol.CodeBadRequest, "unexpected "+t.String()+" on the control stream")
		}
	}
}

// renew signs a new certificate for the agent this session proved to be.
func (sess *session) renew(st *quic.Stream, body []byte) error {
	var req protocol.Renew
	if err := protocol.Unmarshal(body, &req); err != nil {
		return err
	}
	if err := req.Validate(); err != nil {
		return err
	}
	authority, err := sess.srv.store.Member().Authority()
	if err != nil {
		return err
	}
	cert, err := authority.SignAgent(req.CSR, sess.agent.ID, sess.dealer, time.Now())
	if err != nil {
		return err
	}
	sess.log.Info("agent certificate renewed")
	return protocol.WriteFrame(st, protocol.TypeRenewed, &protocol.Renewed{Certificate: cert})
}

func (sess *session) recordStatus(msg *protocol.Status) {
	lag := sess.srv.store.FeedBacklog(sess.dealer, msg.Cursor)
	sess.srv.report(sess.agent.ID, func(r *fleet.Report) {
		r.OutboxLen, r.OldestUnsent, r.Cursor, r.FeedLag = msg.OutboxLen, msg.OldestUnsent, msg.Cursor, lag
	})
}

// servePush commits each pushed batch and acks it after the Raft commit.
// Events not from this agent's dealer are rejected, never stored.
func (sess *session) servePush(ctx context.Context, st *quic.Stream) error {
	for {
		push, err := protocol.Expect[protocol.Push](st, protocol.TypePush)
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return fmt.Errorf("read push: %w", err)
		}
		if !sess.stillAllowed(st) {
			return errRevoked
		}
		if len(push.Events) > protocol.MaxBatch {
			return protocol.WriteError(st, protocol.CodeBadRequest, "push: more than 1000 events")
		}
		results, err := sess.commit(ctx, push.Events)
		if err != nil {
			if werr := protocol.WriteError(st, protocol.CodeUnavailable, err.Error()); werr != nil {
				return werr
			}
			continue
		}
		for _, r := range results {
			sess.srv.metrics.CountAgentIngest(sess.dealer, r.Status)
		}
		ack := protocol.Ack{Seq: push.Seq, Results: results}
		if err := protocol.WriteFrame(st, protocol.TypeAck, &ack); err != nil {
			return fmt.Errorf("write ack: %w", err)
		}
	}
}

// commit validates and ingests events, returning a result per event in
// the order they came.
func (sess *session) commit(ctx context.Context, events []customer.Event) ([]protocol.Result, error) {
	results := make([]protocol.Result, len(events))
	var valid []customer.Event
	var slots []int
	for i := range events {
		e := &events[i]
		if r, ok := sess.reject(e); !ok {
			results[i] = r
			continue
		}
		valid = append(valid, *e)
		slots = append(slots, i)
	}
	if len(valid) == 0 {
		return results, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	committed, err := sess.srv.store.Ingest(ctx, valid)
	if err != nil {
		return nil, err
	}
	for j, i := range slots {
		results[i] = committed[j]
	}
	return results, nil
}

func (sess *session) reject(e *customer.Event) (protocol.Result, bool) {
	res := protocol.Result{ID: e.ID, Status: protocol.StatusRejected}
	if err := e.Validate(); err != nil {
		fe := customer.AsFieldError(err)
		res.Field, res.Reason = fe.Field, fe.Reason
		return res, false
	}
	if e.Source != "dealer:"+sess.dealer {
		res.Field, res.Reason = "source", "must be dealer:"+sess.dealer+" for this agent"
		return res, false
	}
	return res, true
}

// serveFeed streams the dealer's change feed from the agent's cursor and
// then each new change as it is applied on this node.
func (sess *session) serveFeed(ctx context.Context, st *quic.Stream) error {
	req, err := protocol.Expect[protocol.FeedRequest](st, protocol.TypeFeedRequest)
	if err != nil {
		return fmt.Errorf("read feed request: %w", err)
	}
	cursor := req.Cursor
	for {
		changed := sess.srv.store.FeedChanged(sess.dealer)
		batch := sess.srv.store.Feed(sess.dealer, cursor)
		if batch.Cursor > cursor {
			if !sess.stillAllowed(st) {
				return errRevoked
			}
			if err := writeChanges(st, cursor, &batch); err != nil {
				return fmt.Errorf("write changes: %w", err)
			}
			cursor = batch.Cursor
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-st.Context().Done():
			return nil
		case <-changed:
		}
	}
}

// serveLookup answers one read-through search and puts what it found into
// the dealer's scope, so later changes reach the agent.
func (sess *session) serveLookup(ctx context.Context, st *quic.Stream) error {
	req, err := protocol.Expect[protocol.Lookup](st, protocol.TypeLookup)
	if err != nil {
		return fmt.Errorf("read lookup: %w", err)
	}
	if err := req.Validate(); err != nil {
		return protocol.WriteError(st, protocol.CodeBadRequest, err.Error())
	}
	if !sess.stillAllowed(st) {
		return errRevoked
	}
	dealer, _ := sess.srv.store.Dealer(sess.dealer)
	found := sess.srv.store.Search(state.Query{
		Email: req.Email, Phone: req.Phone, Name: req.Name,
		CustomerID: req.CustomerID, Region: dealer.Country,
	})
	if err := protocol.WriteFrame(st, protocol.TypeLookupReply, &protocol.LookupReply{Profiles: found}); err != nil {
		return fmt.Errorf("write lookup reply: %w", err)
	}
	sess.subscribe(ctx, found)
	return nil
}

func (sess *session) subscribe(ctx context.Context, found []customer.Profile) {
	if len(found) == 0 {
		return
	}
	body := state.SubscribeBody{Dealer: sess.dealer}
	for _, p := range found {
		body.Customers = append(body.Customers, p.CustomerID)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := sess.srv.store.ApplyOne(ctx, state.CmdSubscribe, &body); err != nil {
		sess.log.Warn("subscribe after lookup", "err", err)
	}
}
