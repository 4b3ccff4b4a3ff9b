package csvimport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// Poster sends one batch of events, each the JSON of one event, and
// returns a result per event in order, once they are committed. Its
// error wraps ErrRetryable when sending again may succeed, and
// ErrBatchRejected when the server refused the whole batch without a
// result per event.
type Poster interface {
	// Post sends events and returns their results in order.
	Post(ctx context.Context, events []json.RawMessage) ([]customer.EventResult, error)
}

// PosterFunc adapts a function to Poster.
type PosterFunc func(ctx context.Context, events []json.RawMessage) ([]customer.EventResult, error)

// Post calls f.
func (f PosterFunc) Post(ctx context.Context, events []json.RawMessage) ([]customer.EventResult, error) {
	return f(ctx, events)
}

// Limits of one batch, the ingest API's.
const (
	MaxBatchEvents = customer.MaxEventsPerRequest
	MaxBatchBytes  = 1<<20 - 4<<10 // the API's 1 MiB, less room for the envelope
)

// Config describes one import run.
type Config struct {
	Path    string  // the CSV file
	Decode  Options // Start is set from the checkpoint
	Batch   int     // events per request; default 500, at most MaxBatchEvents
	Restart bool    // ignore a checkpoint and start from the first row
	DryRun  bool    // read and validate only: post nothing, keep no checkpoint
	// Outgoing adjusts each event before it is sent (the agent clears the
	// source, which it sets itself); nil sends events as decoded.
	Outgoing func(*customer.Event)
	Progress io.Writer // where progress goes; nil for none
	Terminal bool      // Progress is a terminal
	Notices  io.Writer // where one-off notices go (resuming, ignored columns)
	Retry    Retry
	Now      func() time.Time // default time.Now
}

// Retry bounds how often a batch is sent again after a retryable error.
type Retry struct {
	Attempts int           // default 8
	Backoff  time.Duration // first wait, doubled up to MaxWait; default 250ms
	MaxWait  time.Duration // default 8s
	Sleep    func(ctx context.Context, d time.Duration) error
}

// Summary is what a run did. After an error, Counts are those of the
// last checkpoint: what is surely committed.
type Summary struct {
	Counts
	Read      int      // rows this run read (less than Rows when resumed)
	Resumed   bool     // the run continued an interrupted one
	From      Position // where this run started reading
	Committed Position // where the last checkpoint resumes; the end when done
	Report    string   // path of the rejected-rows report, "" when none
	Warnings  string   // path of the warnings report, "" when none
	Encoding  Encoding
	Delimiter rune
	Elapsed   time.Duration
}

// Run imports cfg.Path through poster, resuming from a checkpoint beside
// the file unless cfg.Restart. It returns when the file is done, on a
// fatal error, or when ctx is cancelled (the checkpoint then holds the
// last committed batch). Rejected rows are in Summary.Rejected and the
// report; they are not an error.
func Run(ctx context.Context, cfg Config, poster Poster) (Summary, error) {
	cfg = cfg.withDefaults()
	f, err := os.Open(cfg.Path)
	if err != nil {
		return Summary{}, err
	}
	defer f.Close()
	imp, err := newImport(cfg, f, poster)
	if err != nil {
		return Summary{}, err
	}
	return imp.run(ctx)
}

func (c Config) withDefaults() Config {
	if c.Batch <= 0 {
		c.Batch = 500
	}
	c.Batch = min(c.Batch, MaxBatchEvents)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Notices == nil {
		c.Notices = io.Discard
	}
	c.Retry = c.Retry.withDefaults()
	return c
}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = 8
	}
	if r.Backoff <= 0 {
		r.Backoff = 250 * time.Millisecond
	}
	if r.MaxWait <= 0 {
		r.MaxWait = 8 * time.Second
	}
	if r.Sleep == nil {
		r.Sleep = sleepContext
	}
	return r
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// post sends a batch, retrying retryable errors with backoff.
func (r Retry) post(ctx context.Context, p Poster, events []json.RawMessage) ([]customer.EventResult, error) {
	wait := r.Backoff
	var err error
	for attempt := 1; attempt <= r.Attempts; attempt++ {
		var results []customer.EventResult
		results, err = p.Post(ctx, events)
		switch {
		case err == nil && len(results) != len(events):
			return nil, fmt.Errorf("the server answered %d results for %d events", len(results), len(events))
		case err == nil:
			return results, nil
		case !errors.Is(err, ErrRetryable) || attempt == r.Attempts:
			return nil, err
		}
		if serr := r.Sleep(ctx, wait); serr != nil {
			return nil, serr
		}
		wait = min(2*wait, r.MaxWait)
	}
	return nil, fmt.Errorf("gave up after %d attempts: %w", r.Attempts, err)
}
