package cluster

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// maxForwardResponse bounds a forwarded write's answer.
const maxForwardResponse = 16 << 20

// ForwardTimeout bounds one forwarded write: the leader's own wait for
// commit, and room to answer.
const ForwardTimeout = 15 * time.Second

// Forward sends writes that reached this follower to the leader's
// InternalApplyPath and returns its results. Failures wrapped in ErrRetry
// may be sent again as they are.
func (m *Member) Forward(ctx context.Context, leaderHTTP string, cmds []state.Command) ([]state.Result, error) {
	body, err := protocol.Marshal(cmds)
	if err != nil {
		return nil, fmt.Errorf("encode forwarded write: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.HTTPScheme()+"://"+leaderHTTP+InternalApplyPath, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("forward to leader: %w", err)
	}
	req.Header.Set("Content-Type", "application/cbor")
	if cs, ok := m.cfg.Secrets.Secrets(); ok {
		req.Header.Set("Authorization", "Bearer "+cs.InternalToken)
	}
	resp, err := m.forwardClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: forward to leader %s: %v", ErrRetry, leaderHTTP, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxForwardResponse))
	if err != nil {
		return nil, fmt.Errorf("%w: read leader answer: %v", ErrRetry, err)
	}
	switch {
	case resp.StatusCode == http.StatusServiceUnavailable:
		return nil, fmt.Errorf("%w: leader %s: %s", ErrRetry, leaderHTTP, bytes.TrimSpace(data))
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("leader %s answered %d: %s", leaderHTTP, resp.StatusCode, bytes.TrimSpace(data))
	}
	var res []state.Result
	if err := protocol.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("decode leader answer: %w", err)
	}
	return res, nil
}
