package agentlink

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/hub/store"
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
	agentID, secret := newAgentCredentials()
	enrol := store.EnrollBody{
		TokenHash: store.HashSecret(req.Token), AgentID: agentID,
		SecretHash: store.HashSecret(secret), Hostname: req.Hostname,
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := s.store.ApplyOne(ctx, store.CmdEnroll, &enrol); err != nil {
		_ = protocol.WriteError(control, protocol.CodeUnauthorized, err.Error())
		return fmt.Errorf("enrol: %w", err)
	}
	agent, _ := s.store.Agent(agentID)
	dealer, _ := s.store.Dealer(agent.Dealer)
	s.log.Info("agent enrolled", "agent", agentID, "dealer", agent.Dealer)
	return protocol.WriteFrame(control, protocol.TypeEnrolled, &protocol.Enrolled{
		AgentID: agentID, DealerID: agent.Dealer, Secret: secret,
		Country: dealer.Country, Hubs: s.hubAddrs(),
	})
}

func newAgentCredentials() (id, secret string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return uuid.Must(uuid.NewV7()).String(), hex.EncodeToString(b)
}
