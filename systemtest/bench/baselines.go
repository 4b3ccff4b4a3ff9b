package main

import (
	"context"
	"fmt"
	"time"
)

// Baseline names the workloads refer to.
const (
	baseBadger   = "raw badger"
	baseRaft100  = "raw raft x100"
	baseRaft1    = "raw raft x1"
	baseQUICRTT  = "quic rtt"
	rawWriters   = 64
	rawBatch     = 100
	quicRTTCount = 2000
)

// runBaselines measures the raw parts under the hub: Badger durable
// batched writes, a 3-node Raft cluster on the hub's log store committing batches of
// 100 and of 1, and a QUIC round trip.
func runBaselines(_ context.Context, b *bench) error {
	d := 5 * time.Second
	if b.cfg.Quick {
		d = 2 * time.Second
	}
	perSec, err := rawBadger(b.dir, rawBatch, 16, d)
	if err != nil {
		return err
	}
	b.baseline[baseBadger] = perSec
	b.results.add(row{Workload: "baseline", Metric: "badger SyncWrites, txn of 100x500B, 16 writers", Value: perSec, Unit: "values/s"})

	r, err := startRawRaft(b.dir)
	if err != nil {
		return err
	}
	defer r.close()
	perSec, lat, failed := r.commits(rawBatch, rawWriters, d)
	b.baseline[baseRaft100] = perSec
	b.results.add(row{Workload: "baseline", Metric: "raft 3 nodes, entries of 100x500B, 64 writers", Value: perSec, Unit: "values/s", P50: lat.quantile(.5), P99: lat.quantile(.99), Note: failedNote(failed)})
	perSec, lat, failed = r.commits(1, rawWriters, d)
	b.baseline[baseRaft1] = perSec
	b.results.add(row{Workload: "baseline", Metric: "raft 3 nodes, entries of 1x500B, 64 writers", Value: perSec, Unit: "values/s", P50: lat.quantile(.5), P99: lat.quantile(.99), Note: failedNote(failed)})

	rtt, err := quicRoundTrips(quicRTTCount)
	if err != nil {
		return err
	}
	b.baseline[baseQUICRTT] = rtt.quantile(.5)
	b.results.add(row{Workload: "baseline", Metric: "quic round trip 500B, loopback", Value: rtt.quantile(.5), Unit: "ms", P50: rtt.quantile(.5), P99: rtt.quantile(.99)})
	return nil
}

func failedNote(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d applies failed (leader changes under load) and were retried", n)
}
