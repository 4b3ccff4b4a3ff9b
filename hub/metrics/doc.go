// Package metrics holds the hub's Prometheus metrics and a short history
// of the few the fleet page charts. Each node has its own registry, so
// several nodes can run in one process (tests) and /metrics shows exactly
// one node.
//
// # Trends
//
// RecordTrends samples, once a minute, the node's own collectors: the
// events it accepted since the previous sample
// (touchpoint_events_ingested_total, every status but rejected), the
// events each dealer's agents pushed to it
// (touchpoint_dealer_events_ingested_total) and the largest feed lag of
// the agents connected to it, overall and per dealer
// (touchpoint_agent_feed_lag). The fleet page charts exactly these
// samples, so its numbers and /metrics agree: the ingest points of a node
// add up to the growth of its counters.
//
// Each series (the node's, or one dealer's, ingest or feed lag) is a Ring
// of one sample per minute, indexed by the minute, so a minute without a
// sample is a gap rather than a shifted chart. A series that has no sample
// left in its window is dropped. Memory is bounded: at most
// DefaultMaxSeries (1,024) series of DefaultSamples (360, six hours)
// samples of 16 bytes, 5.6 MiB per node at worst; a series beyond the
// limit is not recorded and counted in Window.DroppedSeries. A cluster of
// 500 dealers, each with ingest and feed lag, uses about 1,000 series.
//
// The history lives in memory only: a restarted node starts its charts
// empty, and its first ingest sample holds what it counted since it
// started.
package metrics
