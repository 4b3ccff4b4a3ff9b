package main

import (
	"context"
	"fmt"
	"time"
)

// runHubMemory connects many simulated agents, each following its feed,
// to one follower node and measures that node's memory before and after.
func runHubMemory(ctx context.Context, b *bench) error {
	c, err := b.cluster()
	if err != nil {
		return err
	}
	leader, err := c.leader()
	if err != nil {
		return err
	}
	node := c.nodes[0]
	for _, n := range c.nodes {
		if n != leader {
			node = n
			break
		}
	}
	dealer, _, err := b.newDealer()
	if err != nil {
		return err
	}
	before, err := readMemory(node.Pid())
	if err != nil {
		return err
	}
	agents, err := connectSimsTo(ctx, c, dealer, node, b.size.HubAgents)
	if err != nil {
		return err
	}
	defer closeSims(agents)
	for _, a := range agents {
		if err := a.follow(ctx, 0, func(string, time.Time) {}); err != nil {
			return err
		}
	}
	time.Sleep(5 * time.Second) // let the sessions settle
	after, err := readMemory(node.Pid())
	if err != nil {
		return err
	}
	n := len(agents)
	b.results.add(row{Workload: "hubmem", Metric: fmt.Sprintf("hub node RSS with %d agents connected", n), Value: after.RSS, Unit: "MiB",
		Baseline: before.RSS, BaseName: "RSS before", Target: atMost(512, "MiB")})
	b.results.add(row{Workload: "hubmem", Metric: "hub memory per connected agent (RSS delta / agents)", Value: (after.RSS - before.RSS) * 1024 / float64(n), Unit: "KiB",
		Note: fmt.Sprintf("anonymous %.0f -> %.0f MiB", before.Anonymous, after.Anonymous)})
	return nil
}
