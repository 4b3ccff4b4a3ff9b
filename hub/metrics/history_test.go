package metrics

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)

func minute(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }

func nodeIngest(v float64) map[SeriesKey]float64 {
	return map[SeriesKey]float64{{Trend: TrendIngest}: v}
}

// Buckets sum ingest and keep the largest feed lag; minutes without a
// sample are gaps, and a bucket of gaps is a gap.
func TestHistory_WindowBuckets(t *testing.T) {
	h := NewHistory(HistoryLimits{Samples: 12})
	for i := range 12 {
		if i >= 6 && i <= 8 {
			continue // the node was down
		}
		h.Record(minute(i), map[SeriesKey]float64{
			{Trend: TrendIngest}: float64(i), {Dealer: "D1", Trend: TrendFeedLag}: float64(10 * (i % 3)),
		})
	}
	w := h.Window(minute(11), 4, 3)
	if got, want := fmt.Sprint(w.Node.Ingest), fmt.Sprint(Points{0 + 1 + 2, 3 + 4 + 5, math.NaN(), 9 + 10 + 11}); got != want {
		t.Errorf("node ingest = %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(w.Dealers["D1"].FeedLag), fmt.Sprint(Points{20, 20, math.NaN(), 20}); got != want {
		t.Errorf("D1 feed lag = %s, want %s", got, want)
	}
	if v, ok := w.Dealers["D1"].Ingest.Last(); ok {
		t.Errorf("D1 has no ingest series but its points hold %v", v)
	}
	if !w.Start.Equal(minute(0)) || w.StepSeconds != 180 {
		t.Errorf("window starts %s, step %ds; want %s, 180s", w.Start, w.StepSeconds, minute(0))
	}
}

// A window asks for at most what the history keeps.
func TestHistory_WindowIsClamped(t *testing.T) {
	h := NewHistory(HistoryLimits{Samples: 10})
	if w := h.Window(minute(0), 100, 5); len(w.Node.Ingest) != 2 {
		t.Errorf("window of %d buckets, want 10/5 = 2", len(w.Node.Ingest))
	}
}

// The series limit refuses new series (dealers by id, after the node's)
// and reports how many; a series whose samples all left the window is
// dropped and frees its place.
func TestHistory_BoundedSeries(t *testing.T) {
	h := NewHistory(HistoryLimits{Samples: 5, MaxSeries: 3})
	h.Record(minute(0), map[SeriesKey]float64{
		{Trend: TrendIngest}: 1, {Dealer: "D2", Trend: TrendIngest}: 1,
		{Dealer: "D1", Trend: TrendIngest}: 1, {Dealer: "D3", Trend: TrendIngest}: 1,
	})
	w := h.Window(minute(0), 5, 1)
	if h.Series() != 3 || w.DroppedSeries != 1 || w.Dealers["D3"] != nil || w.Dealers["D1"] == nil {
		t.Fatalf("series %d, dropped %d, dealers %v; want node, D1, D2 kept and D3 dropped", h.Series(), w.DroppedSeries, keys(w.Dealers))
	}
	for i := 1; i <= 5; i++ {
		h.Record(minute(i), nodeIngest(0))
	}
	if h.Series() != 1 {
		t.Errorf("after a window without dealer samples: %d series, want the node's only", h.Series())
	}
	h.Record(minute(6), map[SeriesKey]float64{{Dealer: "D3", Trend: TrendIngest}: 1})
	if w := h.Window(minute(6), 5, 1); w.DroppedSeries != 0 || w.Dealers["D3"] == nil {
		t.Errorf("D3 not recorded once there was room: %+v", w)
	}
}

// Memory stays within MaxSeries × Samples however many dealers come and go.
func TestHistory_MemoryBound(t *testing.T) {
	h := NewHistory(HistoryLimits{Samples: 30, MaxSeries: 50})
	for i := range 600 {
		values := nodeIngest(1)
		for d := range 100 {
			values[SeriesKey{Dealer: fmt.Sprintf("D%03d-%d", d, i/60), Trend: TrendFeedLag}] = 1
		}
		h.Record(minute(i), values)
		if h.Series() > 50 {
			t.Fatalf("minute %d: %d series, bound is 50", i, h.Series())
		}
	}
}

// Points travel as JSON with gaps as null.
func TestPoints_JSONKeepsGaps(t *testing.T) {
	in := Points{1.5, math.NaN(), 0, 3}
	b, err := json.Marshal(in)
	if err != nil || string(b) != "[1.5,null,0,3]" {
		t.Fatalf("marshal = %s, %v", b, err)
	}
	var out Points
	if err := json.Unmarshal(b, &out); err != nil || fmt.Sprint(out) != fmt.Sprint(in) {
		t.Fatalf("round trip = %v, %v", out, err)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
