package metrics

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// Window is a node's trends over the last hours in equal buckets: what
// the fleet page charts, and what /v1/internal/trends answers.
type Window struct {
	// Start is when the first bucket begins.
	Start time.Time `json:"start"`
	// StepSeconds is each bucket's length.
	StepSeconds int `json:"step_seconds"`
	// Node holds the node's own trends: all events it accepted, and the
	// largest feed lag of the agents connected to it.
	Node Trends `json:"node"`
	// Dealers holds, per dealer id, the events its agents pushed to this
	// node and their largest feed lag.
	Dealers map[string]*Trends `json:"dealers"`
	// DroppedSeries is how many series the node refused at its latest
	// sample because it holds DefaultMaxSeries already.
	DroppedSeries int `json:"dropped_series,omitempty"`
}

// Trends are one node's or one dealer's series, a point per bucket.
type Trends struct {
	// Ingest is the events accepted in each bucket.
	Ingest Points `json:"ingest"`
	// FeedLag is the largest feed lag in each bucket.
	FeedLag Points `json:"feed_lag"`
}

func newTrends(buckets int) Trends {
	return Trends{Ingest: gaps(buckets), FeedLag: gaps(buckets)}
}

// Of returns the points of a trend (TrendIngest or TrendFeedLag).
func (t *Trends) Of(trend string) Points {
	if trend == TrendIngest {
		return t.Ingest
	}
	return t.FeedLag
}

func (t *Trends) set(trend string, p Points) {
	if trend == TrendIngest {
		t.Ingest = p
	} else {
		t.FeedLag = p
	}
}

// trendsOf returns the node's trends for dealer "", else the dealer's,
// adding empty ones.
func (w *Window) trendsOf(dealer string, buckets int) *Trends {
	if dealer == "" {
		return &w.Node
	}
	t, ok := w.Dealers[dealer]
	if !ok {
		nt := newTrends(buckets)
		t = &nt
		w.Dealers[dealer] = t
	}
	return t
}

// Points are a series' values, one per bucket; NaN is a gap (no sample),
// written as null in JSON.
type Points []float64

func gaps(n int) Points {
	p := make(Points, n)
	for i := range p {
		p[i] = math.NaN()
	}
	return p
}

// Last returns the newest value that is not a gap, and false if all are.
func (p Points) Last() (float64, bool) {
	for i := len(p) - 1; i >= 0; i-- {
		if !math.IsNaN(p[i]) {
			return p[i], true
		}
	}
	return 0, false
}

// Fold combines the values that are not gaps; NaN if all are.
func (p Points) Fold(combine func(a, b float64) float64) float64 {
	acc := math.NaN()
	for _, v := range p {
		acc = Combine(acc, v, combine)
	}
	return acc
}

// MarshalJSON writes gaps as null.
func (p Points) MarshalJSON() ([]byte, error) {
	b := []byte{'['}
	for i, v := range p {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		}
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads null as a gap.
func (p *Points) UnmarshalJSON(b []byte) error {
	var raw []*float64
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*p = make(Points, len(raw))
	for i, v := range raw {
		(*p)[i] = math.NaN()
		if v != nil {
			(*p)[i] = *v
		}
	}
	return nil
}
