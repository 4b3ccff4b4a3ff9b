package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are one node's collectors.
type Metrics struct {
	registry *prometheus.Registry

	// RaftCommit is the time from proposing an entry to its commit and apply.
	RaftCommit prometheus.Histogram
	// Ingested counts events by result status and source kind.
	Ingested *prometheus.CounterVec
	// HTTPRequests counts API requests by route and status code.
	HTTPRequests *prometheus.CounterVec
	// AgentConnections is the number of agents connected to this node.
	AgentConnections prometheus.Gauge
	// AgentFeedLag is each agent's change-feed backlog as last reported.
	AgentFeedLag *prometheus.GaugeVec
	// AgentOutbox is each agent's outbox depth as last reported.
	AgentOutbox *prometheus.GaugeVec
	// DealerIngested counts the events each dealer's agents pushed to
	// this node, by result status.
	DealerIngested *prometheus.CounterVec

	trends  *History
	sampler sampler
}

// New creates a node's metrics. raftState reports Raft's numbers
// (state, term, commit and applied index) at scrape time.
func New(raftState func() map[string]float64) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		RaftCommit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "touchpoint_raft_commit_seconds", Help: "Time from proposing a Raft entry to its commit and apply.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		Ingested: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "touchpoint_events_ingested_total", Help: "Events ingested, by result status and source kind.",
		}, []string{"status", "source_kind"}),
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "touchpoint_http_requests_total", Help: "HTTP API requests by route and status code.",
		}, []string{"route", "code"}),
		AgentConnections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "touchpoint_agent_connections", Help: "Agents connected to this node over QUIC.",
		}),
		AgentFeedLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "touchpoint_agent_feed_lag", Help: "Change-feed entries an agent has not applied yet.",
		}, []string{"agent", "dealer"}),
		AgentOutbox: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "touchpoint_agent_outbox_events", Help: "Events waiting in an agent's outbox, as it reported.",
		}, []string{"agent", "dealer"}),
		DealerIngested: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "touchpoint_dealer_events_ingested_total", Help: "Events a dealer's agents pushed to this node, by result status.",
		}, []string{"dealer", "status"}),
		trends: NewHistory(HistoryLimits{}),
	}
	m.registry.MustRegister(m.RaftCommit, m.Ingested, m.HTTPRequests, m.AgentConnections, m.AgentFeedLag, m.AgentOutbox, m.DealerIngested,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		raftCollector{state: raftState})
	return m
}

// CountAgentIngest counts one event a dealer's agent pushed, with its
// result status: as ingest of source kind dealer, and for the dealer.
func (m *Metrics) CountAgentIngest(dealer, status string) {
	m.Ingested.WithLabelValues(status, "dealer").Inc()
	m.DealerIngested.WithLabelValues(dealer, status).Inc()
}

// SetAgentReport sets an agent's feed lag and outbox depth as it
// reported them; a disconnected agent's gauges are removed, so the node
// it left does not keep showing them once it reports to another.
func (m *Metrics) SetAgentReport(agent, dealer string, feedLag, outbox uint64, connected bool) {
	if !connected {
		m.AgentFeedLag.DeleteLabelValues(agent, dealer)
		m.AgentOutbox.DeleteLabelValues(agent, dealer)
		return
	}
	m.AgentFeedLag.WithLabelValues(agent, dealer).Set(float64(feedLag))
	m.AgentOutbox.WithLabelValues(agent, dealer).Set(float64(outbox))
}

// WatchReviewQueue publishes the match-review queue's size, read at
// scrape time, as touchpoint_match_candidates_open. Call it once.
func (m *Metrics) WatchReviewQueue(open func() int) {
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "touchpoint_match_candidates_open", Help: "Open match candidates waiting for a person to confirm or reject (the review queue).",
	}, func() float64 { return float64(open()) }))
}

// Handler serves the node's metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// raftCollector reads Raft's numbers at scrape time.
type raftCollector struct{ state func() map[string]float64 }

var raftDesc = map[string]*prometheus.Desc{
	"is_leader":           prometheus.NewDesc("touchpoint_raft_is_leader", "1 if this node is the Raft leader.", nil, nil),
	"term":                prometheus.NewDesc("touchpoint_raft_term", "Current Raft term.", nil, nil),
	"commit_index":        prometheus.NewDesc("touchpoint_raft_commit_index", "Raft commit index.", nil, nil),
	"applied_index":       prometheus.NewDesc("touchpoint_raft_applied_index", "Raft index applied to the state.", nil, nil),
	"peers":               prometheus.NewDesc("touchpoint_raft_peers", "Servers in the Raft configuration.", nil, nil),
	"last_snapshot_index": prometheus.NewDesc("touchpoint_raft_last_snapshot_index", "Raft index of this node's latest snapshot (taken or installed).", nil, nil),
	"first_log_index": prometheus.NewDesc("touchpoint_raft_first_log_index",
		"Oldest entry this node's Raft log still holds: a follower whose last entry is older needs a snapshot.", nil, nil),
	"snapshot_restores": prometheus.NewDesc("touchpoint_raft_snapshot_restores",
		"Snapshots restored into the state since the node started: a follower too far behind the leader's log installs one.", nil, nil),
}

func (c raftCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range raftDesc {
		ch <- d
	}
}

func (c raftCollector) Collect(ch chan<- prometheus.Metric) {
	for name, v := range c.state() {
		if d, ok := raftDesc[name]; ok {
			ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v)
		}
	}
}
