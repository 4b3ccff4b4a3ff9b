package metrics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Each sample records the minute's ingest increments and the feed-lag
// gauges; the charted ingest adds up to the counters /metrics shows.
func TestSampleTrends_AgreesWithCounters(t *testing.T) {
	m := New(func() map[string]float64 { return nil })
	m.Ingested.WithLabelValues("created", "web").Add(3)
	m.Ingested.WithLabelValues("rejected", "web").Add(5) // not ingest
	m.CountAgentIngest("D1", "created")
	m.CountAgentIngest("D1", "duplicate")
	m.SetAgentReport("A1", "D1", 40, 2, true)
	m.SetAgentReport("A2", "D2", 7, 0, true)
	m.SampleTrends(minute(0))
	m.Ingested.WithLabelValues("created", "phone").Add(4)
	m.SetAgentReport("A1", "D1", 0, 0, false) // left this node
	m.SampleTrends(minute(1))
	m.SampleTrends(minute(2))

	w := m.TrendWindow(minute(2), 3, 1)
	if got := w.Node.Ingest; got[0] != 5 || got[1] != 4 || got[2] != 0 {
		t.Errorf("node ingest = %v, want [5 4 0]", got)
	}
	if got := w.Dealers["D1"].Ingest; got[0] != 2 || got[1] != 0 {
		t.Errorf("D1 ingest = %v, want [2 0 0]", got)
	}
	if got := w.Node.FeedLag; got[0] != 40 || got[1] != 7 {
		t.Errorf("node feed lag = %v, want the largest: [40 7 7]", got)
	}
	if got := w.Dealers["D1"].FeedLag; got[0] != 40 || !isGap(got[1]) {
		t.Errorf("D1 feed lag = %v, want 40 then a gap once its agent left", got)
	}
	total := testutil.ToFloat64(m.Ingested.WithLabelValues("created", "web")) +
		testutil.ToFloat64(m.Ingested.WithLabelValues("created", "phone")) +
		testutil.ToFloat64(m.Ingested.WithLabelValues("created", "dealer")) +
		testutil.ToFloat64(m.Ingested.WithLabelValues("duplicate", "dealer"))
	if charted := w.Node.Ingest.Fold(Combiner(TrendIngest)); charted != total {
		t.Errorf("charted ingest %v, counters say %v", charted, total)
	}
}

// RecordTrends takes a sample at each tick it is sent, at the tick's
// time, and stops when its context ends.
func TestRecordTrends_SamplesAtEachTick(t *testing.T) {
	m := New(func() map[string]float64 { return nil })
	ticks := make(chan time.Time)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.RecordTrends(ctx, ticks)
	}()
	for i := range 3 {
		ticks <- minute(i)
	}
	cancel()
	<-done
	got := m.TrendWindow(minute(3), 4, 1).Node.Ingest
	if isGap(got[0]) || isGap(got[1]) || isGap(got[2]) || !isGap(got[3]) {
		t.Errorf("node ingest = %v, want samples at minutes 0-2 and none at 3", got)
	}
}

// The review queue and the per-dealer counter are on /metrics.
func TestMetrics_ReviewQueueAndDealerIngest(t *testing.T) {
	m := New(func() map[string]float64 { return nil })
	m.WatchReviewQueue(func() int { return 3 })
	m.CountAgentIngest("D1", "created")
	want := `
# HELP touchpoint_match_candidates_open Open match candidates waiting for a person to confirm or reject (the review queue).
# TYPE touchpoint_match_candidates_open gauge
touchpoint_match_candidates_open 3
# HELP touchpoint_dealer_events_ingested_total Events a dealer's agents pushed to this node, by result status.
# TYPE touchpoint_dealer_events_ingested_total counter
touchpoint_dealer_events_ingested_total{dealer="D1",status="created"} 1
`
	if err := testutil.GatherAndCompare(m.registry, strings.NewReader(want),
		"touchpoint_match_candidates_open", "touchpoint_dealer_events_ingested_total"); err != nil {
		t.Error(err)
	}
}

func isGap(v float64) bool { return v != v }
