package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// httpWriters is how many HTTP clients post concurrently.
const httpWriters = 64

// runIngest measures durable ingest: 64 HTTP writers with one event per
// request, the same with 100 per request, and agents pushing over QUIC.
func runIngest(ctx context.Context, b *bench) error {
	c, err := b.cluster()
	if err != nil {
		return err
	}
	leader, err := c.leader()
	if err != nil {
		return err
	}
	for _, per := range []int{1, 100} {
		wait := b.profileNodes(fmt.Sprintf("ingest-http-%d", per), b.size.IngestFor)
		rate, lat, errs := httpIngest(c, leader, per, b.size.IngestFor)
		wait()
		r := row{Workload: "ingest", Metric: fmt.Sprintf("http, %d writers, %d event(s)/request", httpWriters, per), Value: rate, Unit: "events/s",
			P50: lat.quantile(.5), P99: lat.quantile(.99), Note: errNote(errs)}
		if per == 1 {
			r.Baseline, r.BaseName, r.Target = b.baseline[baseRaft1], baseRaft1, atLeast(8000, "events/s")
		} else {
			r.Baseline, r.BaseName, r.Target = b.baseline[baseRaft100], baseRaft100, atLeast(50000, "events/s")
			if ceiling := b.baseline[baseRaft100]; ceiling > 0 {
				half := rate / ceiling
				b.results.add(row{Workload: "ingest", Metric: "batched http ingest / raw raft ceiling", Value: half * 100, Unit: "%", Target: atLeast(50, "%")})
			}
		}
		b.results.add(r)
	}
	return quicIngest(ctx, b, c)
}

// httpIngest posts events from httpWriters goroutines for d and returns
// committed events per second, request latencies and failed requests.
func httpIngest(c *cluster, node *proc.HubNode, per int, d time.Duration) (float64, *latencies, int64) {
	var lat latencies
	var committed, failed atomic.Int64
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range httpWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prefix := fmt.Sprintf("h%d-%d", per, w)
			for n := 0; time.Now().Before(stop); n += per {
				events := make([]customer.Event, per)
				for i := range events {
					events[i] = synthEvent("web:bench", prefix, n+i, (n+i)/5, "999")
				}
				body := eventsJSON(events)
				begin := time.Now()
				if err := c.call("POST", node.URL("/v1/events"), body, nil); err != nil {
					failed.Add(1)
					continue
				}
				lat.add(time.Since(begin))
				committed.Add(int64(per))
			}
		}()
	}
	wg.Wait()
	return float64(committed.Load()) / time.Since(stop.Add(-d)).Seconds(), &lat, failed.Load()
}

func errNote(failed int64) string {
	if failed == 0 {
		return ""
	}
	return fmt.Sprintf("%d requests failed", failed)
}

// quicPushBatch is the events per push of the simulated agents.
const quicPushBatch = 100

// quicIngest has simulated agents, spread over the hub nodes, push
// batches over QUIC for the ingest duration.
func quicIngest(ctx context.Context, b *bench, c *cluster) error {
	dealer, zip, err := b.newDealer()
	if err != nil {
		return err
	}
	agents, err := connectSims(ctx, c, dealer, b.size.PushAgents)
	if err != nil {
		return err
	}
	defer closeSims(agents)
	var lat latencies
	var committed, failed atomic.Int64
	d := b.size.IngestFor
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for i, a := range agents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prefix := fmt.Sprintf("q%d", i)
			for n := 0; time.Now().Before(stop); n += quicPushBatch {
				events := make([]customer.Event, quicPushBatch)
				for j := range events {
					events[j] = synthEvent("dealer:"+dealer, prefix, n+j, (n+j)/5+i*1_000_000, zip)
				}
				begin := time.Now()
				if err := a.pushBatch(ctx, events); err != nil {
					failed.Add(1)
					return
				}
				lat.add(time.Since(begin))
				committed.Add(quicPushBatch)
			}
		}()
	}
	wg.Wait()
	rate := float64(committed.Load()) / d.Seconds()
	b.results.add(row{Workload: "ingest", Metric: fmt.Sprintf("quic, %d agents pushing %d events/batch", len(agents), quicPushBatch), Value: rate, Unit: "events/s",
		P50: lat.quantile(.5), P99: lat.quantile(.99), Baseline: b.baseline[baseRaft100], BaseName: baseRaft100, Note: errNote(failed.Load())})
	return nil
}

// connectSims enrols and connects n simulated agents of dealer, spread
// over the hub's nodes, 16 at a time.
func connectSims(ctx context.Context, c *cluster, dealer string, n int) ([]*simAgent, error) {
	return connectSimsTo(ctx, c, dealer, nil, n)
}

// connectSimsTo is connectSims with every agent on node (nil: spread).
func connectSimsTo(ctx context.Context, c *cluster, dealer string, node *proc.HubNode, n int) ([]*simAgent, error) {
	agents := make([]*simAgent, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			addr := c.nodes[i%len(c.nodes)].Agent
			if node != nil {
				addr = node.Agent
			}
			a, err := enrolSim(ctx, c, dealer, c.nodes[0].Agent)
			if err == nil {
				// The node may not have applied the enrolment yet: a real
				// agent retries too.
				err = proc.WaitFor(10*time.Second, "connect", func() error { return a.connect(ctx, addr) })
			}
			if err != nil {
				errs <- fmt.Errorf("agent %d: %w", i, err)
				return
			}
			agents[i] = a
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		closeSims(agents)
		return nil, err
	}
	return agents, nil
}

func closeSims(agents []*simAgent) {
	for _, a := range agents {
		if a != nil {
			a.close()
		}
	}
}
