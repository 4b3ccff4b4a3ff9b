// Package agentlink serves dealer agents over QUIC. Each agent keeps one
// connection with a stream per job: a control stream (handshake, health
// reports), a push stream (outbox → Raft, acked after commit), a feed
// stream (the dealer's change feed from the agent's cursor) and one short
// stream per lookup, so a long catch-up never blocks a staff search.
package agentlink
