// Package cluster is how a hub node takes its place among the others:
// its node certificate from the replicated cluster CA (for Raft's mutual
// TLS and, with --http-tls, the HTTP API), the TLS stream layer Raft runs
// on, forwarding writes from a follower to the leader (both the client
// and the leader's handler), signing a joining node's certificate, and
// the cluster's one-time initialisation (CA, internal token, first
// operator token).
//
// It sits between hub/state (whose replicated secrets it reads) and
// hub/store (the Raft node, which uses it); it never applies a command
// itself.
package cluster
