package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/touchpoint/touchpoint/agent/localstore"
)

// lookupCount is how many phone lookups each size measures.
const lookupCount = 2000

// lookupTargets are the p99 targets of the sizes in order (100k, 1M).
var lookupTargets = []float64{2, 5}

// runLookup measures phone → profile (50-event timeline) lookups in the
// agent's store at each cached size, and starts a real agent process on
// the first size's store to measure its memory idle and under lookups.
func runLookup(ctx context.Context, b *bench) error {
	first := b.size.LookupSizes[0]
	ag, err := enrolAgent(b, "lookup")
	if err != nil {
		return err
	}
	key, err := os.ReadFile(ag.Dir + ".key")
	if err != nil {
		return fmt.Errorf("agent key: %w", err)
	}
	start := time.Now()
	base, err := lookupAt(filepath.Join(ag.Dir, "db"), key, first)
	if err != nil {
		return err
	}
	perProfile := time.Since(start) / time.Duration(first)
	b.results.add(lookupRow(first, base, nil, lookupTargets[0]))
	if err := agentMemory(ctx, b, ag, first); err != nil {
		return err
	}
	for i, size := range b.size.LookupSizes[1:] {
		if need := perProfile * time.Duration(size); need > b.remaining()-5*time.Minute {
			b.results.skip(fmt.Sprintf("lookup at %d", size), fmt.Sprintf("caching %d profiles would take about %s (%s per profile here), more than the budget leaves", size, need.Round(time.Second), perProfile))
			continue
		}
		dir := filepath.Join(b.dir, fmt.Sprintf("lookup-%d", size))
		lat, err := lookupAt(dir, key, size)
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
		b.results.add(lookupRow(size, lat, base, lookupTargets[min(i+1, len(lookupTargets)-1)]))
	}
	return nil
}

func lookupRow(size int, lat, base *latencies, limit float64) row {
	r := row{Workload: "lookup", Metric: fmt.Sprintf("phone -> profile (50 events) p99, %d cached, in-process", size),
		Value: lat.quantile(.99), Unit: "ms", P50: lat.quantile(.5), P99: lat.quantile(.99), Target: atMost(limit, "ms")}
	if base != nil {
		r.Baseline, r.BaseName = base.quantile(.99), "p99 at first size"
	}
	return r
}

// lookupAt caches size profiles in the store at dir and times
// lookupCount phone lookups of long-timeline profiles.
func lookupAt(dir string, key []byte, size int) (*latencies, error) {
	s, err := openAgentStore(dir, key)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	begin := time.Now()
	if err := fillStore(s, 0, size); err != nil {
		return nil, err
	}
	fmt.Printf("# cached %d profiles in %s\n", size, time.Since(begin).Round(time.Second))
	rng := rand.New(rand.NewPCG(1, uint64(size)))
	var lat latencies
	for range lookupCount {
		i := rng.IntN(size/100)*100 + 7
		t := time.Now()
		found, err := s.Search(localstore.Query{Phone: localPhone(i)})
		lat.add(time.Since(t))
		if err != nil {
			return nil, err
		}
		if len(found) != 1 || len(found[0].Events) != longTimeline {
			return nil, fmt.Errorf("lookup of profile %d found %d profiles", i, len(found))
		}
	}
	return &lat, nil
}

// localPhone writes profile i's phone as staff type it: (312) 555-0107.
func localPhone(i int) string {
	p := profilePhone(i)
	return "(" + p[2:5] + ") " + p[5:8] + "-" + p[8:]
}
