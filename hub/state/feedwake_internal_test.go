package state

import (
	"testing"

	"github.com/touchpoint/touchpoint/customer"
)

func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestFeedWake_OnlyTheDealersWhoseFeedGrew(t *testing.T) {
	s := mustState(t)
	applyAll(s, sampleEntries(t)[:1]) // dealer D1, market 943
	d1, d2 := s.feeds.wait("D1"), s.feeds.wait("D2")
	inMarket := webEvent("w-9", customer.Hints{Email: "eve@example.com", Address: &customer.Address{PostalCode: "94301", Country: "US"}})
	s.ApplyEntry(2, &Entry{Time: 1, Commands: []Command{ingestCommand(t, inMarket)}})
	if !closed(d1) {
		t.Error("D1's session was not woken by a customer in its market")
	}
	if closed(d2) {
		t.Error("D2's session was woken by a change outside its scope")
	}
	outside := webEvent("w-10", customer.Hints{Email: "zed@example.com"})
	d1 = s.feeds.wait("D1")
	s.ApplyEntry(3, &Entry{Time: 2, Commands: []Command{ingestCommand(t, outside)}})
	if closed(d1) {
		t.Error("D1's session was woken by a customer outside its scope")
	}
}

func TestFeedWake_RestoreWakesEveryone(t *testing.T) {
	var f feedWake
	a, b := f.wait("A"), f.wait("B")
	f.wakeAll()
	if !closed(a) || !closed(b) {
		t.Fatal("wakeAll left a session asleep")
	}
}
