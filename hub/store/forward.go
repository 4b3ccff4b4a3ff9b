package store

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/touchpoint/touchpoint/protocol"
)

// InternalApplyPath is the leader's HTTP endpoint for forwarded writes.
const InternalApplyPath = "/v1/internal/apply"

// maxForwardResponse bounds a forwarded write's answer.
const maxForwardResponse = 16 << 20

// forwarder sends writes that reached a follower to the leader.
type forwarder struct {
	store  *Store
	client *http.Client
}

func newForwarder(s *Store) *forwarder {
	return &forwarder{store: s, client: s.InternalClient(raftApplyTimeout + 5*time.Second)}
}

func (f *forwarder) apply(ctx context.Context, leaderHTTP string, cmds []Command) ([]Result, error) {
	body, err := protocol.Marshal(cmds)
	if err != nil {
		return nil, fmt.Errorf("encode forwarded write: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.store.HTTPScheme()+"://"+leaderHTTP+InternalApplyPath, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("forward to leader: %w", err)
	}
	req.Header.Set("Content-Type", "application/cbor")
	if cs, ok := f.store.Secrets(); ok {
		req.Header.Set("Authorization", "Bearer "+cs.InternalToken)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: forward to leader %s: %v", errRetry, leaderHTTP, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxForwardResponse))
	if err != nil {
		return nil, fmt.Errorf("%w: read leader answer: %v", errRetry, err)
	}
	switch {
	case resp.StatusCode == http.StatusServiceUnavailable:
		return nil, fmt.Errorf("%w: leader %s: %s", errRetry, leaderHTTP, bytes.TrimSpace(data))
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("leader %s answered %d: %s", leaderHTTP, resp.StatusCode, bytes.TrimSpace(data))
	}
	var res []Result
	if err := protocol.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("decode leader answer: %w", err)
	}
	return res, nil
}
