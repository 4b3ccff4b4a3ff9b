package store_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// feedCustomers returns the sorted customer ids of a feed batch.
func feedCustomers(ch protocol.Changes) []string {
	return slices.Sorted(maps.Keys(changesByCustomer(ch)))
}

// postal is an address hint in the United States.
func postal(code string) *customer.Address {
	return &customer.Address{Line1: "1 Main St", PostalCode: code, Country: "US"}
}

// A dealer's feed holds the customers the dealer touched and those whose
// postal code is in its market, and nobody else. Read from the returned
// cursor it stays empty until one of those customers changes again.
func TestCluster_DealerFeedHoldsTouchedAndMarketCustomers(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3)
	leader := c.leader()
	mustApply(t, leader, state.CmdPutDealer, &state.Dealer{ID: "D1", Name: "Palo Alto", Country: "US", Market: []string{"943"}})
	mustApply(t, leader, state.CmdPutDealer, &state.Dealer{ID: "D2", Name: "New York", Country: "US", Market: []string{"100"}})

	follower := c.follower()
	touched := customerOf(mustIngest(t, follower, dealerEvent("d1-1", "D1", customer.Hints{Email: "touched@example.com"}))[0])
	market := customerOf(mustIngest(t, follower, webEvent("w-1", customer.Hints{Email: "market@example.com", Address: postal("94301")}))[0])
	elsewhere := customerOf(mustIngest(t, follower, webEvent("w-2", customer.Hints{Email: "elsewhere@example.com", Address: postal("10001")}))[0])
	otherDealer := customerOf(mustIngest(t, follower, dealerEvent("d2-1", "D2", customer.Hints{Email: "other@example.com"}))[0])
	c.waitForProfile(state.Query{Email: "other@example.com"}, 1)

	var cursor uint64
	for _, n := range c.running() {
		feed := n.st.Feed("D1", 0)
		if got, want := feedCustomers(feed), []string{touched, market}; !slices.Equal(got, want) {
			t.Fatalf("%s: D1 feed holds %q, want %q", n.cfg.NodeID, got, want)
		}
		for _, ch := range feed.Changes {
			if ch.Profile == nil || ch.Profile.CustomerID != ch.CustomerID {
				t.Errorf("%s: change %s without its profile", n.cfg.NodeID, ch.CustomerID)
			}
		}
		if got, want := feedCustomers(n.st.Feed("D2", 0)), []string{elsewhere, otherDealer}; !slices.Equal(got, want) {
			t.Errorf("%s: D2 feed holds %q, want %q", n.cfg.NodeID, got, want)
		}
		if cursor != 0 && feed.Cursor != cursor {
			t.Errorf("%s: cursor %d, another node said %d", n.cfg.NodeID, feed.Cursor, cursor)
		}
		cursor = feed.Cursor
	}
	if cursor == 0 {
		t.Fatal("feed returned cursor 0")
	}

	emptyAfter := func(why string) {
		t.Helper()
		for _, n := range c.running() {
			if feed := n.st.Feed("D1", cursor); len(feed.Changes) != 0 || feed.Cursor != cursor {
				t.Errorf("%s %s: feed from %d = %d changes, cursor %d", n.cfg.NodeID, why, cursor, len(feed.Changes), feed.Cursor)
			}
		}
	}
	emptyAfter("with no change")
	mustIngest(t, follower, webEvent("w-3", customer.Hints{Email: "elsewhere@example.com"}))
	c.waitForProfile(state.Query{Email: "elsewhere@example.com"}, 2)
	emptyAfter("after another market's customer changed")

	mustIngest(t, follower, webEvent("w-4", customer.Hints{Email: "touched@example.com"}))
	eventually(t, waitTimeout, func() error {
		for _, n := range c.running() {
			feed := n.st.Feed("D1", cursor)
			if got := feedCustomers(feed); !slices.Equal(got, []string{touched}) {
				return fmt.Errorf("%s: D1 feed from %d holds %q, want %s", n.cfg.NodeID, cursor, got, touched)
			}
			if p := feed.Changes[0].Profile; p == nil || len(p.Events) != 2 || feed.Cursor <= cursor {
				return fmt.Errorf("%s: change %+v, cursor %d", n.cfg.NodeID, feed.Changes[0], feed.Cursor)
			}
		}
		return nil
	})
}

// An agent catching up gets each customer once, at its current state: a
// feed entry whose customer changed again later is passed over.
func TestCluster_FeedSkipsSupersededChanges(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3)
	leader := c.leader()
	mustApply(t, leader, state.CmdPutDealer, &state.Dealer{ID: "D1", Name: "Palo Alto", Country: "US"})
	often := customer.Hints{Email: "often@example.com"}
	once := customer.Hints{Email: "once@example.com"}
	oftenID := customerOf(mustIngest(t, leader, dealerEvent("e-1", "D1", often))[0])
	onceID := customerOf(mustIngest(t, leader, dealerEvent("e-2", "D1", once))[0])
	mustIngest(t, leader, dealerEvent("e-3", "D1", often))
	mustIngest(t, leader, dealerEvent("e-4", "D1", often))
	c.waitForProfile(state.Query{Email: "often@example.com"}, 3)

	for _, n := range c.running() {
		feed := n.st.Feed("D1", 0)
		var got []string
		for _, ch := range feed.Changes {
			got = append(got, ch.CustomerID)
		}
		if want := []string{onceID, oftenID}; !slices.Equal(got, want) {
			t.Errorf("%s: feed from 0 sends %q, want %q", n.cfg.NodeID, got, want)
		}
		if p := feed.Changes[len(feed.Changes)-1].Profile; p == nil || len(p.Events) != 3 {
			t.Errorf("%s: the changed customer's profile %+v, want its 3 events", n.cfg.NodeID, p)
		}
		if again := n.st.Feed("D1", feed.Cursor); len(again.Changes) != 0 || again.Cursor != feed.Cursor {
			t.Errorf("%s: feed after the catch-up holds %d changes, cursor %d", n.cfg.NodeID, len(again.Changes), again.Cursor)
		}
	}
}
