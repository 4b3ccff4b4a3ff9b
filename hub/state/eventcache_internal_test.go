package state

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// randomEntries is a seeded workload that exercises every path that
// writes events: new and returning customers, events out of time order,
// duplicates, merges through shared identifiers, erasure and a split.
func randomEntries(t *testing.T, seed uint64, n int) []*Entry {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	const now = int64(1_790_000_000) * 1e9
	entries := []*Entry{{Time: now, Commands: []Command{mustCommand(t, CmdPutDealer, &Dealer{ID: "D1", Name: "Zot", Country: "US", Market: []string{"943"}})}}}
	for i := range n {
		var events []customer.Event
		for j := range 1 + rng.IntN(12) {
			c := rng.IntN(40)
			h := customer.Hints{Email: fmt.Sprintf("c%d@example.com", c), GivenName: []string{"Ann", "Bo", "Cy"}[rng.IntN(3)],
				Address: &customer.Address{PostalCode: fmt.Sprintf("943%02d", c%7), Country: "US"}}
			if rng.IntN(6) == 0 {
				h.Phone = fmt.Sprintf("+1650253%04d", rng.IntN(40)) // may join two customers
			}
			e := webEvent(fmt.Sprintf("w-%d", rng.IntN(n*6)), h) // ids repeat: duplicates
			e.OccurredAt = e.OccurredAt.Add(time.Duration(rng.IntN(1000)-500) * time.Minute)
			if j%4 == 3 {
				e.Source, e.ID = "dealer:D1", fmt.Sprintf("d-%d-%d", i, j)
			}
			events = append(events, e)
		}
		cmds := []Command{ingestCommand(t, events...)}
		switch {
		case i%17 == 16:
			cmds = append(cmds, mustCommand(t, CmdErase, &EraseBody{CustomerID: fmt.Sprintf("C%09d", 1+rng.IntN(20))}))
		case i%23 == 22:
			cmds = append(cmds, mustCommand(t, CmdSplitAll, &SplitBody{MergeID: fmt.Sprintf("M%09d", 1+rng.IntN(3))}))
		}
		entries = append(entries, &Entry{Time: now + int64(i+1), Commands: cmds})
	}
	return entries
}

// The FSM with its event cache ends in exactly the state it reaches
// reading every customer's events from Badger each time.
func TestEventCache_SameStateAsWithout(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			entries := randomEntries(t, seed, 60)
			cached := mustState(t)
			plain := mustState(t)
			plain.events = nil
			applyAll(cached, entries)
			applyAll(plain, entries)
			got := dump(t, cached.db)
			if d := diffDumps(got, dump(t, plain.db)); d != "" {
				t.Fatalf("state with the event cache differs:\n%s", d)
			}
			for _, table := range []string{prefixMergeRecord, prefixErasure, prefixCustEvent} {
				if countPrefix(got, table) == 0 {
					t.Errorf("the workload wrote nothing under %s: it tests less than it says", table)
				}
			}
		})
	}
}

func countPrefix(d map[string]string, prefix string) int {
	n := 0
	for k := range d {
		if strings.HasPrefix(k, prefix) {
			n++
		}
	}
	return n
}

func TestEventCache_ObserveKeepsKeyOrder(t *testing.T) {
	c := newEventCache()
	c.add("C1", &custEvents{})
	for _, id := range []string{"b", "a", "c", "a"} {
		in := IngestEvent{Event: customer.Event{ID: id, Source: "web:x"}}
		c.observe(key(prefixCustEvent, "C1", "web:x", id), mustEncode(&in), false)
	}
	c.observe(key(prefixCustEvent, "C1", "web:x", "b"), nil, true)
	c.observe(key(prefixCustEvent, "C2", "web:x", "z"), nil, false) // not cached: ignored
	ce, _ := c.get("C1")
	if len(ce.keys) != 2 || ce.events[0].Event.ID != "a" || ce.events[1].Event.ID != "c" {
		t.Fatalf("cached events %v, want a, c", ce.keys)
	}
}
