package metrics

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// statusRejected is protocol.StatusRejected: rejected events are counted
// on /metrics but are not ingest on the charts.
const statusRejected = "rejected"

// RecordTrends samples the node's trends at every tick until ctx ends or
// ticks closes. The tick's time is the sample's time, so a test sends
// its own instead of waiting for a ticker.
func (m *Metrics) RecordTrends(ctx context.Context, ticks <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			return
		case at, ok := <-ticks:
			if !ok {
				return
			}
			m.SampleTrends(at)
		}
	}
}

// SampleTrends records one sample of every trend at time at.
func (m *Metrics) SampleTrends(at time.Time) {
	m.trends.Record(at, m.sampler.read(m))
}

// TrendWindow returns the node's trends in buckets of per samples, the
// last bucket ending with end's minute.
func (m *Metrics) TrendWindow(end time.Time, buckets, per int) Window {
	return m.trends.Window(end, buckets, per)
}

// sampler turns counters into per-minute increments: it remembers each
// counter's value at the previous sample (zero before the first, when
// the counters were created with the node).
type sampler struct {
	mu   sync.Mutex
	last map[SeriesKey]float64
}

// read returns the node's sample: increments of the ingest counters since
// the previous read and the feed-lag gauges as they are now.
func (s *sampler) read(m *Metrics) map[SeriesKey]float64 {
	totals := map[SeriesKey]float64{{Trend: TrendIngest}: 0}
	collect(m.Ingested, func(labels map[string]string, v float64) {
		if labels["status"] != statusRejected {
			totals[SeriesKey{Trend: TrendIngest}] += v
		}
	})
	collect(m.DealerIngested, func(labels map[string]string, v float64) {
		if labels["status"] != statusRejected {
			totals[SeriesKey{Dealer: labels["dealer"], Trend: TrendIngest}] += v
		}
	})
	out := map[SeriesKey]float64{}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil {
		s.last = map[SeriesKey]float64{}
	}
	for k, v := range totals {
		d := v - s.last[k]
		if d < 0 { // a counter deleted and created again starts over
			d = v
		}
		out[k], s.last[k] = d, v
	}
	collect(m.AgentFeedLag, func(labels map[string]string, v float64) {
		for _, k := range []SeriesKey{{Trend: TrendFeedLag}, {Dealer: labels["dealer"], Trend: TrendFeedLag}} {
			largest := v
			if old, ok := out[k]; ok {
				largest = math.Max(old, v)
			}
			out[k] = largest
		}
	})
	return out
}

// collect calls each with the labels and value of every metric c holds.
func collect(c prometheus.Collector, each func(labels map[string]string, v float64)) {
	ch := make(chan prometheus.Metric)
	go func() {
		c.Collect(ch)
		close(ch)
	}()
	for metric := range ch {
		var d dto.Metric
		if metric.Write(&d) != nil {
			continue
		}
		labels := make(map[string]string, len(d.GetLabel()))
		for _, l := range d.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		each(labels, d.GetCounter().GetValue()+d.GetGauge().GetValue())
	}
}
