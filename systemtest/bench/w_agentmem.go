package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// lookupClients is how many staff clients look up at once under load.
const lookupClients = 8

// agentMemory starts the agent on its filled store and measures its
// memory idle and while lookupClients search its API.
func agentMemory(_ context.Context, b *bench, a *agentProc, profiles int) error {
	if err := a.start(b); err != nil {
		return err
	}
	defer a.Stop()
	if err := proc.WaitFor(30*time.Second, "agent connected", func() error {
		st, err := a.sync()
		if err == nil && !st.Hub.Connected {
			err = fmt.Errorf("not connected: %s", st.Hub.LastError)
		}
		return err
	}); err != nil {
		return err
	}
	settle := 10 * time.Second
	if b.cfg.Quick {
		settle = 2 * time.Second
	}
	time.Sleep(settle) // idle is what the agent holds after settling
	idle, err := readMemory(a.Pid())
	if err != nil {
		return err
	}
	label := fmt.Sprintf("%d profiles", profiles)
	b.results.add(row{Workload: "agentmem", Metric: "anonymous memory idle, " + label, Value: idle.Anonymous, Unit: "MiB", Target: atMost(64, "MiB")})
	b.results.add(row{Workload: "agentmem", Metric: "file-backed resident idle, " + label, Value: idle.FileBacked, Unit: "MiB"})

	peak := samplePeak(a.Pid(), 200*time.Millisecond)
	lat, failed := hammerLookups(a, profiles, b.size.IngestFor)
	load := peak.finish()
	b.results.add(row{Workload: "agentmem", Metric: fmt.Sprintf("anonymous memory peak, %d clients looking up, %s", lookupClients, label), Value: load.Anonymous, Unit: "MiB"})
	b.results.add(row{Workload: "agentmem", Metric: "file-backed resident peak under lookups, " + label, Value: load.FileBacked, Unit: "MiB"})
	b.results.add(row{Workload: "lookup", Metric: fmt.Sprintf("agent API phone lookup p99, %d clients, %s", lookupClients, label), Value: lat.quantile(.99), Unit: "ms",
		P50: lat.quantile(.5), P99: lat.quantile(.99), Note: errNote(failed)})
	return nil
}

// hammerLookups has lookupClients look up long-timeline profiles through
// the agent's API for d.
func hammerLookups(a *agentProc, profiles int, d time.Duration) (*latencies, int64) {
	var lat latencies
	var failed int64
	var mu sync.Mutex
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for c := range lookupClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 3))
			for time.Now().Before(stop) {
				i := rng.IntN(profiles/100)*100 + 7
				begin := time.Now()
				if _, err := a.lookup(localPhone(i)); err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
					continue
				}
				lat.add(time.Since(begin))
			}
		}()
	}
	wg.Wait()
	return &lat, failed
}
