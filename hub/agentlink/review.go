package agentlink

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// serveReview answers one match-candidate request from a staff page: the
// open candidates touching this dealer's customers, or a decision on one
// of them. A dealer may decide only candidates with a side in its scope.
func (sess *session) serveReview(ctx context.Context, st *quic.Stream) error {
	t, body, err := protocol.ReadFrame(st)
	if err != nil {
		return fmt.Errorf("read review request: %w", err)
	}
	msg, err := protocol.Decode(t, body)
	if err != nil {
		return protocol.WriteError(st, protocol.CodeBadRequest, err.Error())
	}
	if !sess.stillAllowed(st) {
		return errRevoked
	}
	switch req := msg.(type) {
	case *protocol.CandidatesRequest:
		return sess.listCandidates(st, req)
	case *protocol.Decide:
		return sess.decide(ctx, st, req)
	default:
		return protocol.WriteError(st, protocol.CodeBadRequest, "a review stream takes candidates or decide, not "+t.String())
	}
}

func (sess *session) listCandidates(st *quic.Stream, req *protocol.CandidatesRequest) error {
	if err := req.Validate(); err != nil {
		return protocol.WriteError(st, protocol.CodeBadRequest, err.Error())
	}
	limit := req.Limit
	if limit == 0 {
		limit = protocol.MaxCandidates
	}
	list := protocol.CandidateList{Candidates: sess.srv.store.CandidatesInScope(sess.dealer, limit)}
	return protocol.WriteFrame(st, protocol.TypeCandidateList, &list)
}

func (sess *session) decide(ctx context.Context, st *quic.Stream, req *protocol.Decide) error {
	if err := req.Validate(); err != nil {
		return protocol.WriteError(st, protocol.CodeBadRequest, err.Error())
	}
	if !sess.srv.store.CandidateInScope(sess.dealer, req.ID) {
		return protocol.WriteError(st, protocol.CodeBadRequest, "no open candidate "+req.ID+" touches this dealer's customers")
	}
	cmd, status := state.CmdReject, state.CandidateRejected
	if req.Confirm {
		cmd, status = state.CmdConfirm, state.CandidateConfirmed
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	by := req.Staff + "@dealer:" + sess.dealer
	_, err := sess.srv.store.ApplyOne(ctx, cmd, &state.CandidateBody{ID: req.ID, By: by})
	switch {
	case errors.Is(err, state.ErrCandidateDecided), errors.Is(err, state.ErrUnknownCandidate):
		return protocol.WriteError(st, protocol.CodeBadRequest, err.Error())
	case err != nil:
		return protocol.WriteError(st, protocol.CodeUnavailable, "not committed, retry: "+err.Error())
	}
	sess.log.Info("candidate decided at a dealer", "candidate", req.ID, "status", status)
	return protocol.WriteFrame(st, protocol.TypeDecided, &protocol.Decided{ID: req.ID, Status: status})
}
