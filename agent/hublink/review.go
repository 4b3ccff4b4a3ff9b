package hublink

import (
	"context"
	"fmt"
	"time"

	"github.com/touchpoint/touchpoint/protocol"
)

// reviewTimeout bounds one candidate request; a decision waits for the
// hub's Raft commit.
const reviewTimeout = 10 * time.Second

// Candidates lists the open match candidates that touch this dealer's
// customers, with both profiles each. It needs the hub: ErrOffline when
// there is no connection.
func (l *Link) Candidates(ctx context.Context) ([]protocol.CandidateView, error) {
	reply, err := review[protocol.CandidateList](ctx, l, protocol.TypeCandidates, &protocol.CandidatesRequest{}, protocol.TypeCandidateList)
	if err != nil {
		return nil, err
	}
	return reply.Candidates, nil
}

// Decide confirms (the hub merges the two people) or rejects a candidate
// on behalf of a staff member, and returns the new status once the hub
// has committed it. The merged profile arrives through the change feed.
func (l *Link) Decide(ctx context.Context, id string, confirm bool, staff string) (string, error) {
	req := protocol.Decide{ID: id, Confirm: confirm, Staff: staff}
	reply, err := review[protocol.Decided](ctx, l, protocol.TypeDecide, &req, protocol.TypeDecided)
	if err != nil {
		return "", err
	}
	return reply.Status, nil
}

// review sends one request on its own review stream and reads the reply.
func review[T any](ctx context.Context, l *Link, t protocol.Type, req any, want protocol.Type) (*T, error) {
	conn := l.currentConn()
	if conn == nil {
		return nil, ErrOffline
	}
	ctx, cancel := context.WithTimeout(ctx, reviewTimeout)
	defer cancel()
	st, err := openStream(ctx, conn, protocol.StreamReview)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	_ = st.SetDeadline(time.Now().Add(reviewTimeout))
	if err := protocol.WriteFrame(st, t, req); err != nil {
		return nil, fmt.Errorf("send %s: %w", t, err)
	}
	reply, err := protocol.Expect[T](st, want)
	if err != nil {
		return nil, fmt.Errorf("%s at hub: %w", t, err)
	}
	return reply, nil
}
