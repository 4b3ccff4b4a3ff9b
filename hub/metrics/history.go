package metrics

import (
	"math"
	"slices"
	"strings"
	"sync"
	"time"
)

// Trends a series can hold.
const (
	// TrendIngest is the events accepted in each minute; a bucket sums
	// its minutes, and the fleet page sums nodes.
	TrendIngest = "ingest"
	// TrendFeedLag is the largest agent feed lag seen in each minute; a
	// bucket keeps its largest minute, and the fleet page the largest node.
	TrendFeedLag = "feed_lag"
)

// The history's shape and bound (see the package doc).
const (
	// DefaultStep is the time between two samples of a series.
	DefaultStep = time.Minute
	// DefaultSamples is how many samples a series keeps: six hours.
	DefaultSamples = 360
	// DefaultMaxSeries bounds the series a node keeps.
	DefaultMaxSeries = 1024
)

// SeriesKey names one series: a trend of the node (Dealer "") or of one
// dealer's agents on this node.
type SeriesKey struct {
	Dealer string
	Trend  string
}

// HistoryLimits shape a History; zero fields take the defaults.
type HistoryLimits struct {
	Step      time.Duration
	Samples   int
	MaxSeries int
}

// History keeps the recent samples of a node's series. It is safe for
// concurrent use.
type History struct {
	step      time.Duration
	samples   int
	maxSeries int

	mu      sync.Mutex
	series  map[SeriesKey]*Ring
	dropped int // series refused by the latest Record
}

// NewHistory returns an empty history.
func NewHistory(l HistoryLimits) *History {
	h := &History{step: l.Step, samples: l.Samples, maxSeries: l.MaxSeries, series: map[SeriesKey]*Ring{}}
	if h.step <= 0 {
		h.step = DefaultStep
	}
	if h.samples <= 0 {
		h.samples = DefaultSamples
	}
	if h.maxSeries <= 0 {
		h.maxSeries = DefaultMaxSeries
	}
	return h
}

// Record adds one sample per series at time at. Node series come first,
// then dealers by id, so which series the limit refuses does not depend
// on map order. Series with no sample left in the window are dropped.
func (h *History) Record(at time.Time, values map[SeriesKey]float64) {
	slot := h.slot(at)
	keys := make([]SeriesKey, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b SeriesKey) int {
		if c := strings.Compare(a.Dealer, b.Dealer); c != 0 {
			return c
		}
		return strings.Compare(a.Trend, b.Trend)
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.dropped = 0
	for _, k := range keys {
		r, ok := h.series[k]
		if !ok {
			if len(h.series) >= h.maxSeries {
				h.dropped++
				continue
			}
			r = NewRing(h.samples)
			h.series[k] = r
		}
		r.Put(slot, values[k], Combiner(k.Trend))
	}
	for k, r := range h.series {
		if newest, _ := r.Newest(); newest <= slot-int64(h.samples) {
			delete(h.series, k)
		}
	}
}

// Series is how many series the history holds.
func (h *History) Series() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.series)
}

// Window returns the series in buckets of per samples, the last bucket
// ending with the sample of end's minute. The window covers at most the
// history's samples.
func (h *History) Window(end time.Time, buckets, per int) Window {
	per = max(per, 1)
	buckets = min(max(buckets, 1), h.samples/per)
	endSlot := h.slot(end)
	first := endSlot - int64(buckets*per) + 1
	w := Window{
		Start: time.Unix(first*int64(h.step/time.Second), 0).UTC(), StepSeconds: per * int(h.step/time.Second),
		Dealers: map[string]*Trends{},
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	w.DroppedSeries = h.dropped
	w.Node = newTrends(buckets)
	for k, r := range h.series {
		w.trendsOf(k.Dealer, buckets).set(k.Trend, bucketize(r, first, buckets, per, Combiner(k.Trend)))
	}
	return w
}

// slot is the minute (step) of t since the epoch.
func (h *History) slot(t time.Time) int64 {
	step := int64(h.step / time.Second)
	s := t.Unix()
	if s < 0 {
		return (s - step + 1) / step
	}
	return s / step
}

// bucketize folds the ring's samples from slot first on into buckets;
// a bucket without any sample is a gap.
func bucketize(r *Ring, first int64, buckets, per int, combine func(a, b float64) float64) Points {
	out := gaps(buckets)
	for b := range buckets {
		for i := range per {
			if v, ok := r.Get(first + int64(b*per+i)); ok {
				out[b] = Combine(out[b], v, combine)
			}
		}
	}
	return out
}

// Combine folds v into acc with combine, treating a gap (NaN) as absent.
func Combine(acc, v float64, combine func(a, b float64) float64) float64 {
	switch {
	case math.IsNaN(v):
		return acc
	case math.IsNaN(acc):
		return v
	}
	return combine(acc, v)
}

// Combiner is how two values of a trend fold into one, whether two
// samples of a minute, the minutes of a bucket or the nodes of a cluster:
// ingest adds up, feed lag keeps the largest.
func Combiner(trend string) func(a, b float64) float64 {
	if trend == TrendIngest {
		return func(a, b float64) float64 { return a + b }
	}
	return math.Max
}
