package main

import (
	"context"
	"fmt"
	"time"

	"github.com/quic-go/quic-go"

	"github.com/touchpoint/touchpoint/agent/hublink"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// simAgent is an in-process agent: enrolled like a real one, holding one
// QUIC connection with the real protocol, but no local store, so a
// thousand of them are cheap.
type simAgent struct {
	creds *hublink.Credentials
	conn  *quic.Conn
	push  *quic.Stream
	seq   uint64
}

// enrolSim enrols a simulated agent of dealer at hubAddr.
func enrolSim(ctx context.Context, c *cluster, dealer, hubAddr string) (*simAgent, error) {
	token, err := c.enrolmentToken(dealer)
	if err != nil {
		return nil, fmt.Errorf("token for %s: %w", dealer, err)
	}
	// The token is committed, but the node may not have applied it yet.
	var creds *hublink.Credentials
	err = proc.WaitFor(10*time.Second, "enrolment", func() error {
		creds, err = hublink.Enroll(ctx, hubAddr, token)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &simAgent{creds: creds}, nil
}

// connect opens the session: the control stream and its handshake.
func (a *simAgent) connect(ctx context.Context, hubAddr string) error {
	tlsConf, err := a.creds.TLSConfig()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	conn, err := quic.DialAddr(ctx, hubAddr, tlsConf, &quic.Config{MaxIdleTimeout: 60 * time.Second, KeepAlivePeriod: 10 * time.Second})
	if err != nil {
		return fmt.Errorf("dial %s: %w", hubAddr, err)
	}
	control, err := openKind(ctx, conn, protocol.StreamControl)
	if err != nil {
		conn.CloseWithError(0, "")
		return err
	}
	if _, err := protocol.ClientHandshake(control, protocol.Hello{AgentID: a.creds.AgentID, Software: "bench"}); err != nil {
		conn.CloseWithError(0, "")
		return err
	}
	a.conn = conn
	return nil
}

func (a *simAgent) close() {
	if a.conn != nil {
		_ = a.conn.CloseWithError(0, "bench done")
	}
}

func openKind(ctx context.Context, conn *quic.Conn, kind string) (*quic.Stream, error) {
	st, err := conn.OpenStreamSync(ctx)
	if err != nil {
		return nil, fmt.Errorf("open %s stream: %w", kind, err)
	}
	return st, protocol.WriteStreamKind(st, kind)
}

// pushBatch sends events and waits for the ack (after the Raft commit).
func (a *simAgent) pushBatch(ctx context.Context, events []customer.Event) error {
	if a.push == nil {
		st, err := openKind(ctx, a.conn, protocol.StreamPush)
		if err != nil {
			return err
		}
		a.push = st
	}
	a.seq++
	if err := protocol.WriteFrame(a.push, protocol.TypePush, &protocol.Push{Seq: a.seq, Events: events}); err != nil {
		return err
	}
	_ = a.push.SetReadDeadline(time.Now().Add(60 * time.Second))
	ack, err := protocol.Expect[protocol.Ack](a.push, protocol.TypeAck)
	if err != nil {
		return fmt.Errorf("ack: %w", err)
	}
	for _, r := range ack.Results {
		if r.Status == protocol.StatusRejected {
			return fmt.Errorf("event %s rejected: %s %s", r.ID, r.Field, r.Reason)
		}
	}
	return nil
}

// follow reads the dealer's change feed from cursor and calls seen for
// every changed customer with the time its batch arrived, until the
// connection ends.
func (a *simAgent) follow(ctx context.Context, cursor uint64, seen func(cust string, at time.Time)) error {
	st, err := openKind(ctx, a.conn, protocol.StreamFeed)
	if err != nil {
		return err
	}
	if err := protocol.WriteFrame(st, protocol.TypeFeedRequest, &protocol.FeedRequest{Cursor: cursor}); err != nil {
		return err
	}
	go func() {
		for {
			batch, err := protocol.Expect[protocol.Changes](st, protocol.TypeChanges)
			if err != nil {
				return
			}
			now := time.Now()
			for _, ch := range batch.Changes {
				seen(ch.CustomerID, now)
			}
		}
	}()
	return nil
}
