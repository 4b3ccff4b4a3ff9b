package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// customerOf returns the customer id of a "status id" result.
func customerOf(result string) string {
	_, id, _ := strings.Cut(result, " ")
	return id
}

// An event ingested through a follower is forwarded to the leader,
// committed, and then served by every node.
func TestCluster_FollowerIngestIsForwardedAndVisibleEverywhere(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3)
	follower := c.follower()

	got := mustIngest(t, follower, webEvent("w-1", customer.Hints{Email: "ann@example.com", GivenName: "Ann"}))
	if !strings.HasPrefix(got[0], protocol.StatusCreated+" ") {
		t.Fatalf("result %q", got[0])
	}
	for _, p := range c.waitForProfile(state.Query{Email: "ann@example.com"}, 1) {
		if p.CustomerID != customerOf(got[0]) || p.GivenName != "Ann" || p.Events[0].ID != "w-1" {
			t.Errorf("profile %s %q with event %s", p.CustomerID, p.GivenName, p.Events[0].ID)
		}
	}
}

// The same email in different case and spacing, and the same phone number
// in different formats, join one profile.
func TestCluster_NormalisedIdentifiersJoinOneProfile(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3)
	leader, follower := c.leader(), c.follower()

	var results []string
	results = append(results, mustIngest(t, follower, webEvent("e-1", customer.Hints{Email: "Ann.Lee@Example.com"}))...)
	results = append(results, mustIngest(t, leader, webEvent("e-2", customer.Hints{Email: "  ann.lee@EXAMPLE.COM "}))...)
	results = append(results, mustIngest(t, follower, webEvent("e-3", customer.Hints{Email: "ANN.LEE@example.com", Phone: "+1 650-253-0000"}))...)
	results = append(results, mustIngest(t, leader, webEvent("e-4", customer.Hints{Phone: "(650) 253 0000"}))...)
	results = append(results, mustIngest(t, follower, webEvent("e-5", customer.Hints{Phone: "650.253.0000"}))...)

	want := customerOf(results[0])
	for i, r := range results {
		if r != protocol.StatusCreated+" "+want {
			t.Errorf("event %d: %q, want created %s", i+1, r, want)
		}
	}
	for _, q := range []state.Query{
		{Email: "ann.lee@example.com"}, {Email: " ANN.LEE@EXAMPLE.COM"},
		{Phone: "+16502530000"}, {Phone: "650-253-0000"},
	} {
		for _, p := range c.waitForProfile(q, 5) {
			if p.CustomerID != want {
				t.Errorf("%+v finds %s, want %s", q, p.CustomerID, want)
			}
			if !slices.Equal(p.Emails, []string{"ann.lee@example.com"}) || !slices.Equal(p.Phones, []string{"+16502530000"}) {
				t.Errorf("profile holds emails %q and phones %q", p.Emails, p.Phones)
			}
		}
	}
}

// An event whose identifiers name two customers merges them: the older id
// survives, the merged id answers with the survivor, and the feed tells
// dealers the merged id is gone.
func TestCluster_EventNamingTwoCustomersMergesThem(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3)
	follower := c.follower()

	older := customerOf(mustIngest(t, follower, webEvent("w-1", customer.Hints{Email: "bo@example.com"}))[0])
	younger := customerOf(mustIngest(t, follower, dealerEvent("d-1", "D1", customer.Hints{Phone: "+1 650 253 0000"}))[0])
	if older == younger || older > younger {
		t.Fatalf("customers %s and %s", older, younger)
	}
	got := mustIngest(t, follower, webEvent("w-2", customer.Hints{Email: "bo@example.com", Phone: "650 253 0000"}))
	if got[0] != protocol.StatusCreated+" "+older {
		t.Fatalf("joining event: %q, want created %s", got[0], older)
	}

	c.waitForProfile(state.Query{Phone: "+16502530000"}, 3)
	for _, n := range c.running() {
		p, ok := n.st.Profile(younger)
		if !ok || p.CustomerID != older || len(p.Events) != 3 {
			t.Errorf("%s: Profile(%s) = %s with %d events, %v", n.cfg.NodeID, younger, p.CustomerID, len(p.Events), ok)
		}
		if found := n.st.Search(state.Query{CustomerID: younger}); len(found) != 1 || found[0].CustomerID != older {
			t.Errorf("%s: search by merged id finds %d profiles", n.cfg.NodeID, len(found))
		}
		changes := changesByCustomer(n.st.Feed("D1", 0))
		if ch, ok := changes[younger]; !ok || ch.MergedInto != older || ch.Profile != nil {
			t.Errorf("%s: feed change for %s = %+v, %v", n.cfg.NodeID, younger, ch, ok)
		}
		if ch, ok := changes[older]; !ok || ch.Profile == nil || len(ch.Profile.Events) != 3 {
			t.Errorf("%s: feed has no full profile for survivor %s", n.cfg.NodeID, older)
		}
	}
}

// The same event ingested twice is stored once: created, then duplicate,
// both naming the same customer. Within one batch too.
func TestCluster_SameEventTwiceIsStoredOnce(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3)
	e := webEvent("w-1", customer.Hints{Email: "cy@example.com"})

	first := mustIngest(t, c.follower(), e)
	again := mustIngest(t, c.leader(), e)
	batch := mustIngest(t, c.follower(), e, e)
	cust := customerOf(first[0])
	want := []string{
		protocol.StatusCreated + " " + cust, protocol.StatusDuplicate + " " + cust,
		protocol.StatusDuplicate + " " + cust, protocol.StatusDuplicate + " " + cust,
	}
	if got := slices.Concat(first, again, batch); !slices.Equal(got, want) {
		t.Fatalf("results %q, want %q", got, want)
	}
	// A resend from another source is another event.
	other := e
	other.Source = "web:other.example"
	if got := mustIngest(t, c.leader(), other); got[0] != protocol.StatusCreated+" "+cust {
		t.Fatalf("same id from another source: %q", got[0])
	}
	c.waitForProfile(state.Query{Email: "cy@example.com"}, 2)
}

// changesByCustomer indexes a feed batch by customer id.
func changesByCustomer(ch protocol.Changes) map[string]protocol.Change {
	out := map[string]protocol.Change{}
	for _, c := range ch.Changes {
		out[c.CustomerID] = c
	}
	return out
}
