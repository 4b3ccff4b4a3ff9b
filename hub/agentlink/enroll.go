package agentlink

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// enroll exchanges a one-time token for an agent id and secret.
func (s *Server) enroll(ctx context.Context, control *quic.Stream, body []byte) error {
	var req protocol.Enroll
	if err := protocol.Unmarshal(body, &req); err != nil {
		return fmt.Errorf("decode enroll: %w", err)
	}
	if err := req.Validate(); err != nil {
		_ = protocol.WriteError(control, protocol.CodeBadRequest, err.Error())
		return err
	}
	token, err := protocol.ParseEnrolmentToken(req.Token)
	if err != nil {
		_ = protocol.WriteError(control, protocol.CodeBadRequest, err.Error())
		return err
	}
	enrolled, err := s.issue(ctx, token, &req)
	if err != nil {
		_ = protocol.WriteError(control, protocol.CodeUnauthorized, err.Error())
		return fmt.Errorf("enrol: %w", err)
	}
	s.log.Info("agent enrolled", "agent", enrolled.AgentID, "dealer", enrolled.DealerID)
	return protocol.WriteFrame(control, protocol.TypeEnrolled, enrolled)
}

// issue checks the token, signs the agent's certificate request, and
// consumes the token in Raft; only then is the certificate handed out.
func (s *Server) issue(ctx context.Context, token protocol.EnrolmentToken, req *protocol.Enroll) (*protocol.Enrolled, error) {
	authority, err := s.store.Member().Authority()
	if err != nil {
		return nil, err
	}
	if token.CAHash != protocol.CAHash(authority.CertDER) {
		return nil, errors.New("token was made by another cluster's CA")
	}
	var tok state.Token
	ok := eventually(ctx, func() (found bool) {
		tok, found = s.store.Token(state.HashSecret(token.Secret))
		return found
	})
	if !ok || (tok.ExpiresAt != 0 && time.Now().Unix() >= tok.ExpiresAt) {
		return nil, state.ErrUnknownToken
	}
	agentID := uuid.Must(uuid.NewV7()).String()
	cert, err := authority.SignAgent(req.CSR, agentID, tok.Dealer, time.Now())
	if err != nil {
		return nil, err
	}
	enrol := state.EnrollBody{TokenHash: state.HashSecret(token.Secret), AgentID: agentID, Hostname: req.Hostname}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := s.store.ApplyOne(ctx, state.CmdEnroll, &enrol); err != nil {
		return nil, err
	}
	dealer, _ := s.store.Dealer(tok.Dealer)
	return &protocol.Enrolled{
		AgentID: agentID, DealerID: tok.Dealer, Country: dealer.Country, Hubs: s.hubAddrs(),
		Certificate: cert, CACert: authority.CertDER,
	}, nil
}
