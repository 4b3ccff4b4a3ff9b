// Package hublink keeps an agent connected to the hub over QUIC: it dials
// the hub nodes it knows in turn with backoff, pushes the outbox (an entry
// leaves the outbox only after the hub's ack, which follows the Raft
// commit), follows the dealer's change feed from the durable cursor, and
// answers read-through lookups on their own streams.
package hublink
