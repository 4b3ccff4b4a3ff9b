package importcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/customer/csvimport"
)

// maxAnswerBytes bounds reading an answer: a result per event.
const maxAnswerBytes = 4 << 20

// requestTimeout bounds one batch: it is answered after a Raft commit
// (or a local disk sync at the agent).
const requestTimeout = 60 * time.Second

// httpPoster posts batches to a POST /v1/events endpoint.
type httpPoster struct {
	name   string // "hub" or "agent", for messages
	url    string
	token  string
	client *http.Client
}

type answer struct {
	Error   string                 `json:"error"`
	Field   string                 `json:"field"`
	Reason  string                 `json:"reason"`
	Results []customer.EventResult `json:"results"`
}

// Post implements csvimport.Poster.
func (p *httpPoster) Post(ctx context.Context, events []json.RawMessage) ([]customer.EventResult, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(envelope(events)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		if ctx.Err() != nil && context.Cause(ctx) != context.DeadlineExceeded {
			return nil, err
		}
		return nil, fmt.Errorf("%w: cannot reach the %s at %s: %v", csvimport.ErrRetryable, p.name, p.url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return nil, fmt.Errorf("%w: read the %s's answer: %v", csvimport.ErrRetryable, p.name, err)
	}
	var a answer
	_ = json.Unmarshal(data, &a) // a non-JSON answer leaves a empty
	return p.interpret(resp.StatusCode, a, bytes.TrimSpace(data), len(events))
}

// interpret turns an answer into results or an error of the right kind.
func (p *httpPoster) interpret(status int, a answer, raw []byte, n int) ([]customer.EventResult, error) {
	msg := a.Error
	if msg == "" {
		msg = string(raw)
	}
	switch {
	case status == http.StatusOK:
		return a.Results, nil
	case status == http.StatusBadRequest && len(a.Results) == n:
		return a.Results, nil // every event rejected, each with its reason
	case status == http.StatusBadRequest && a.Reason != "":
		return nil, fmt.Errorf("%w: %w", csvimport.ErrBatchRejected, &customer.FieldError{Field: a.Field, Reason: a.Reason})
	case status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge:
		return nil, fmt.Errorf("%w: %s", csvimport.ErrBatchRejected, msg)
	case status == http.StatusTooManyRequests || status >= 500:
		return nil, fmt.Errorf("%w: the %s answered %d: %s", csvimport.ErrRetryable, p.name, status, msg)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return nil, fmt.Errorf("the %s refused the credentials (%d: %s): pass --token", p.name, status, msg)
	}
	return nil, fmt.Errorf("the %s answered %d: %s", p.name, status, msg)
}

// envelope writes {"events":[...]} around the events' JSON.
func envelope(events []json.RawMessage) []byte {
	size := 16
	for _, e := range events {
		size += len(e) + 1
	}
	b := make([]byte, 0, size)
	b = append(b, `{"events":[`...)
	for i, e := range events {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, e...)
	}
	return append(b, "]}"...)
}
