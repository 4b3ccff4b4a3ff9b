package state

import (
	"fmt"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
)

// crashEntries are a dealer and one big ingest entry: forty events of
// fifteen customers, some joined by shared phones (merges), committed in
// many parts.
func crashEntries(t *testing.T) []*Entry {
	t.Helper()
	const now = int64(1_790_000_000) * 1e9
	var events []customer.Event
	for i := range 40 {
		h := customer.Hints{Email: fmt.Sprintf("p%d@example.com", i%15), GivenName: "Ann", FamilyName: fmt.Sprintf("Lee%d", i%15),
			Address: &customer.Address{Line1: fmt.Sprintf("%d Main St", i%15), PostalCode: "94301", Country: "US"}}
		if i%7 == 0 {
			h.Phone = fmt.Sprintf("+1650253%04d", (i+1)%15) // joins two customers
		}
		events = append(events, webEvent(fmt.Sprintf("w-%d", i), h))
	}
	return []*Entry{
		{Time: now, Commands: []Command{mustCommand(t, CmdPutDealer, &Dealer{ID: "D1", Name: "Zot", Country: "US", Market: []string{"943"}})}},
		{Time: now + 1, Commands: []Command{ingestCommand(t, events...)}},
	}
}

// A replica killed in the middle of applying an entry (some parts of its
// Badger writes committed, the applied index not yet) replays the entry
// after the restart and ends with the same state as a replica that was
// never killed: the same profiles, versions and feed.
func TestState_CrashMidEntryThenReplayMatchesCleanApply(t *testing.T) {
	clean := mustState(t)
	entries := crashEntries(t)
	parts := 0
	clean.partHook = func() { parts++ }
	applyAll(clean, entries)
	want := dump(t, clean.db)
	if parts < 3 {
		t.Fatalf("the big entry committed in %d parts; the test needs several", parts)
	}
	for crashAt := 1; crashAt < parts; crashAt++ {
		t.Run(fmt.Sprintf("crash after part %d of %d", crashAt, parts), func(t *testing.T) {
			s := mustState(t)
			applyCrashing(s, entries, crashAt)
			s.partHook = nil
			applyAll(s, entries) // Raft replays every entry after the restart
			if d := diffDumps(dump(t, s.db), want); d != "" {
				t.Fatalf("state after crash and replay differs:\n%s", d)
			}
		})
	}
}

type crash struct{}

// applyCrashing applies entries until the crashAt-th part commit, where it
// stops as kill -9 would.
func applyCrashing(s *State, entries []*Entry, crashAt int) {
	n := 0
	s.partHook = func() {
		if n++; n == crashAt {
			panic(crash{})
		}
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(crash); !ok {
				panic(r)
			}
		}
	}()
	applyAll(s, entries)
}
