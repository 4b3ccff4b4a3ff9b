package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/hub/state"
)

// An enrolment token works once: the first enrolment registers the agent
// on every node, a second use or an expired token fails with
// ErrUnknownToken.
func TestCluster_EnrolmentTokenIsConsumedOnce(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3)
	follower := c.follower()
	mustApply(t, follower, state.CmdPutDealer, &state.Dealer{ID: "D1", Name: "Palo Alto", Country: "US"})
	mustApply(t, follower, state.CmdAddToken, &state.Token{
		Hash: state.HashSecret("tpe_once"), Dealer: "D1", ExpiresAt: time.Now().Add(time.Hour).Unix(),
	})

	enrol := func(token, agent string) error {
		_, err := follower.st.ApplyOne(writeContext(t), state.CmdEnroll, &state.EnrollBody{
			TokenHash: state.HashSecret(token), AgentID: agent, SecretHash: state.HashSecret("secret"), Hostname: "pc-1",
		})
		return err
	}
	if err := enrol("tpe_once", "A1"); err != nil {
		t.Fatalf("first enrolment: %v", err)
	}
	if err := enrol("tpe_once", "A2"); err == nil || err.Error() != state.ErrUnknownToken.Error() {
		t.Fatalf("second use: %v, want %v", err, state.ErrUnknownToken)
	}
	mustApply(t, follower, state.CmdAddToken, &state.Token{Hash: state.HashSecret("tpe_old"), Dealer: "D1", ExpiresAt: time.Now().Add(-time.Minute).Unix()})
	if err := enrol("tpe_old", "A3"); err == nil || err.Error() != state.ErrUnknownToken.Error() {
		t.Fatalf("expired token: %v, want %v", err, state.ErrUnknownToken)
	}
	if err := enrol("tpe_never", "A4"); err == nil || err.Error() != state.ErrUnknownToken.Error() {
		t.Fatalf("unknown token: %v, want %v", err, state.ErrUnknownToken)
	}

	eventually(t, waitTimeout, func() error {
		for _, n := range c.running() {
			a, ok := n.st.Agent("A1")
			if !ok || a.Dealer != "D1" || a.Hostname != "pc-1" || a.EnrolledAt == 0 {
				return fmt.Errorf("%s: agent A1 = %+v, %v", n.cfg.NodeID, a, ok)
			}
			if got := len(n.st.Agents()); got != 1 {
				return fmt.Errorf("%s: %d agents enrolled", n.cfg.NodeID, got)
			}
		}
		return nil
	})
}
