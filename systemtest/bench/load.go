package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// loadScope posts events for customers customers in zip's market, perCust
// events each, from httpWriters writers in batches of 100, until all
// are in or d has passed. It returns the events and customers committed.
func loadScope(c *cluster, node *proc.HubNode, prefix, zip string, customers, perCust int, d time.Duration) (int, int, error) {
	var events, custs atomic.Int64
	var firstErr error
	var once sync.Once
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range httpWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var batch []customer.Event
			for cust := w; cust < customers && time.Now().Before(stop); cust += httpWriters {
				for k := range perCust {
					batch = append(batch, synthEvent("web:bench", prefix, cust*perCust+k, 6_000_000+cust, zip))
				}
				if len(batch) < 100 && cust+httpWriters < customers {
					continue
				}
				if err := c.call("POST", node.URL("/v1/events"), eventsJSON(batch), nil); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				events.Add(int64(len(batch)))
				custs.Add(int64(len(batch) / perCust))
				batch = batch[:0]
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return int(events.Load()), int(custs.Load()), fmt.Errorf("load scope: %w", firstErr)
	}
	return int(events.Load()), int(custs.Load()), nil
}
