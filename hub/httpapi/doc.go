// Package httpapi is the hub's HTTP surface: the channel ingest and
// profile API (/v1/events, /v1/customers), the operator API (cluster,
// dealers, tokens, agents), health and metrics, the fleet page, and the
// internal endpoints that followers forward writes to and that the fleet
// page gathers from.
//
// # The fleet page
//
// The page at / is the HQ view of the whole cluster, whichever node
// serves it: an operator should not have to know which node an agent or
// a dealer's traffic went to. On each load the node asks every other node
// (with the cluster's internal token) for its agents' health
// (/v1/internal/agent-health) and its trends (/v1/internal/trends, for
// the same minutes), and shows:
//
//   - a summary: agents enrolled, silent and revoked; the match-review
//     queue (open candidates, from the replicated state); the cluster's
//     ingest over six hours; the largest feed lag an agent reports now;
//   - every agent, silent first, then revoked, then by dealer: the
//     dealer's name, the agent's hostname (its id shortened beside it),
//     the freshest report any node holds;
//   - every dealer by name, those with a silent agent first, with two
//     charts over six hours: the events its agents pushed (summed over
//     the nodes they pushed to) and their largest feed lag (the largest
//     over nodes);
//   - every node of the Raft configuration, leader first, with its own
//     charts: the events it accepted (from every channel) and the largest
//     feed lag of the agents connected to it.
//
// The charts are SVG sparklines drawn in Go (fleet_chart.go), one point
// per five minutes. Their samples come from the node's Prometheus
// collectors (see package hub/metrics), so the page and /metrics agree:
// a node's ingest chart adds up to the growth of its
// touchpoint_events_ingested_total (rejected events aside), a dealer's to
// touchpoint_dealer_events_ingested_total, and feed lag is
// touchpoint_agent_feed_lag. A node that does not answer is named above
// the node table and its share is missing from the dealer charts; a
// restarted node's charts start empty.
package httpapi
