package state

import (
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
	"github.com/touchpoint/touchpoint/protocol"
)

// feedOf reads dealer D1's whole feed the way a session does.
func feedOf(s *State) protocol.Changes {
	var out protocol.Changes
	s.view(func(txn kv.Reader) { out = s.feed(txn, "D1", 0) })
	return out
}

func profileIn(t *testing.T, ch protocol.Changes, cust string) *customer.Profile {
	t.Helper()
	for _, c := range ch.Changes {
		if c.CustomerID == cust {
			return c.Profile
		}
	}
	t.Fatalf("%s not in the feed", cust)
	return nil
}

func TestFeedCache_ANewVersionIsReadAfresh(t *testing.T) {
	s := mustState(t)
	applyAll(s, sampleEntries(t))
	first := profileIn(t, feedOf(s), "C000000001")
	if again := profileIn(t, feedOf(s), "C000000001"); again.Version != first.Version || len(again.Events) != len(first.Events) {
		t.Fatalf("the same version read twice differs: %d/%d events", len(first.Events), len(again.Events))
	}
	more := webEvent("w-4", customer.Hints{Email: "ann@example.com"})
	s.ApplyEntry(5, &Entry{Time: 1, Commands: []Command{ingestCommand(t, more)}})
	now := profileIn(t, feedOf(s), "C000000001")
	if now.Version == first.Version || len(now.Events) != len(first.Events)+1 {
		t.Fatalf("after one more event: version %d (was %d), %d events (was %d)", now.Version, first.Version, len(now.Events), len(first.Events))
	}
}

func TestFeedCache_ReadersGetTheirOwnCopy(t *testing.T) {
	s := mustState(t)
	applyAll(s, sampleEntries(t))
	p := profileIn(t, feedOf(s), "C000000001")
	p.Events = nil // what trimming a huge timeline does to a frame's copy
	p.GivenName = "changed"
	if again := profileIn(t, feedOf(s), "C000000001"); len(again.Events) == 0 || again.GivenName == "changed" {
		t.Fatal("a reader's change reached the cache")
	}
}

func TestFeedCache_ErasureIsNeverServedFromCache(t *testing.T) {
	s := mustState(t)
	applyAll(s, sampleEntries(t))
	profileIn(t, feedOf(s), "C000000001") // cached now
	s.ApplyEntry(5, &Entry{Time: 1, Commands: []Command{mustCommand(t, CmdErase, &EraseBody{CustomerID: "C000000001"})}})
	for _, c := range feedOf(s).Changes {
		if c.CustomerID == "C000000001" && c.Profile != nil {
			t.Fatalf("erased customer still has a profile in the feed: %+v", c.Profile.Emails)
		}
	}
}

func TestFeedCache_NothingCachedFromAnEntryStillApplying(t *testing.T) {
	s := mustState(t)
	applyAll(s, sampleEntries(t))
	s.feedCache = newProfileCache() // what the FSM cached after each commit is not this test's
	var version uint64
	s.view(func(txn kv.Reader) {
		v, _ := get(txn, key(prefixVersion, "C000000001"))
		version = decodeUint(v)
		s.change(txn, "C000000001", version>>seqShift-1) // as if its entry were half applied
	})
	if _, ok := s.feedCache.get("C000000001", version); ok {
		t.Fatal("a profile read while its entry was still applying was cached")
	}
}
