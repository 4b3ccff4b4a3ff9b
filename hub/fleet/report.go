// Package fleet holds what a hub node knows of its agents' health: the
// report that hub/agentlink keeps for each connected agent and that
// hub/httpapi gathers from every node for the fleet page and `agent
// list`. It sits below both, so neither server imports the other.
package fleet

import "time"

// Report is an agent's latest health as seen by one node.
type Report struct {
	Dealer       string    `json:"dealer"`
	Node         string    `json:"node"` // the hub node it is connected to
	Connected    bool      `json:"connected"`
	LastSeen     time.Time `json:"last_seen"`
	OutboxLen    uint64    `json:"outbox_len"`
	OldestUnsent int64     `json:"oldest_unsent_unix,omitempty"`
	Cursor       uint64    `json:"cursor"`
	FeedLag      uint64    `json:"feed_lag"`
	Software     string    `json:"software,omitempty"`
}
