package httpapi

import (
	"fmt"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/hub/metrics"
)

// Across nodes a dealer's ingest adds up and its feed lag is the largest;
// a gap on one node is no gap when another has the bucket.
func TestDealerTrends_SumIngestMaxLag(t *testing.T) {
	start := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	windows := map[string]*metrics.Window{
		"h1": {Start: start, StepSeconds: 300, Node: metrics.Trends{Ingest: metrics.Points{1, 2, nan}}, Dealers: map[string]*metrics.Trends{
			"D1": {Ingest: metrics.Points{1, nan, nan}, FeedLag: metrics.Points{5, nan, nan}},
		}},
		"h2": {Start: start, StepSeconds: 300, Node: metrics.Trends{Ingest: metrics.Points{10, nan, nan}}, Dealers: map[string]*metrics.Trends{
			"D1": {Ingest: metrics.Points{2, 3, nan}, FeedLag: metrics.Points{4, 9, nan}},
			"D2": {Ingest: metrics.Points{nan, nan, 7}, FeedLag: metrics.Points{nan, nan, nan}},
		}},
	}
	got := dealerTrends(windows)
	for _, tt := range []struct {
		name string
		got  metrics.Points
		want string
	}{
		{"D1 ingest", got["D1"].Ingest, "[3 3 NaN]"},
		{"D1 feed lag", got["D1"].FeedLag, "[5 9 NaN]"},
		{"D2 ingest", got["D2"].Ingest, "[NaN NaN 7]"},
		{"cluster ingest", clusterIngest(windows), "[11 2 NaN]"},
	} {
		if s := fmt.Sprint(tt.got); s != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, s, tt.want)
		}
	}
}

// A node whose window covers other minutes is not merged.
func TestSameBuckets(t *testing.T) {
	start := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	a := &metrics.Window{Start: start, StepSeconds: 300, Node: metrics.Trends{Ingest: gaps(3), FeedLag: gaps(3)}}
	for _, tt := range []struct {
		name string
		b    metrics.Window
		want bool
	}{
		{"same", *a, true},
		{"a minute later", metrics.Window{Start: start.Add(time.Minute), StepSeconds: 300, Node: a.Node}, false},
		{"other step", metrics.Window{Start: start, StepSeconds: 60, Node: a.Node}, false},
		{"other length", metrics.Window{Start: start, StepSeconds: 300, Node: metrics.Trends{Ingest: gaps(4), FeedLag: gaps(4)}}, false},
	} {
		if got := sameBuckets(&tt.b, a); got != tt.want {
			t.Errorf("%s: sameBuckets = %v", tt.name, got)
		}
	}
}
