// Command bench is Touchpoint's benchmark harness (`make bench`). It
// starts a 3-node hub and agents on 127.0.0.1, runs each workload for a
// bounded count and time, measures the raw parts underneath (Badger
// batched durable writes, a 3-node Raft cluster on the hub's log store, a
// QUIC round trip) in the same run, and prints a table (and JSON) where every figure
// has its baseline and ratio beside it.
//
//	go run ./systemtest/bench [--quick] [--only ingest,visible] [--json FILE] [--budget 15m]
package main
