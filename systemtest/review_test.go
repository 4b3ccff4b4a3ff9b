package systemtest

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// twoKathys are one person who filled in two web forms with different
// emails: fuzzy evidence only (similar name, same address and birth
// date), so the hub raises a candidate and merges nothing.
func twoKathys(at time.Time) []customer.Event {
	addr := &customer.Address{Line1: "12 Lake Shore Dr", City: "Chicago", PostalCode: "60611", Country: "US"}
	return []customer.Event{
		{ID: "kathy-1", Source: "web:zot.example", Channel: "web", Type: "brochure_requested", OccurredAt: at,
			Customer: customer.Hints{Email: "kathy.smith@example.com", GivenName: "Katherine", FamilyName: "Smith", BirthDate: "1984-03-09", Address: addr}},
		{ID: "kathy-2", Source: "web:zot.example", Channel: "web", Type: "configurator_saved", OccurredAt: at.Add(time.Hour),
			Customer: customer.Hints{Email: "k.smith84@example.com", GivenName: "Kathryn", FamilyName: "Smith", BirthDate: "1984-03-09", Address: addr}},
	}
}

type candidateList struct {
	Candidates []struct {
		ID   string
		A, B customer.Profile
	}
}

// Staff at a dealer review the candidates touching their customers
// through the agent, which asks the hub over QUIC; a confirmation merges
// the two at the hub and the merged profile reaches the agent. A dealer
// whose scope holds neither side sees nothing and may not decide.
func TestReview_StaffConfirmCandidateThroughAgent(t *testing.T) {
	c := StartCluster(t, 1)
	c.AddDealer("D-017", "606")
	c.AddDealer("D-900", "100")
	chicago, newYork := c.StartAgent("D-017"), c.StartAgent("D-900")
	c.PostEvents(c.Nodes[0], twoKathys(time.Now().Add(-48*time.Hour).UTC().Truncate(time.Second))...)

	var list candidateList
	Eventually(t, 20*time.Second, "candidate listed at the Chicago agent", func() error {
		if err := Call("GET", chicago.URL("/v1/candidates"), nil, &list); err != nil {
			return err
		}
		if len(list.Candidates) != 1 {
			return fmt.Errorf("%d candidates", len(list.Candidates))
		}
		return nil
	})
	id := list.Candidates[0].ID
	var other candidateList
	if err := Call("GET", newYork.URL("/v1/candidates"), nil, &other); err != nil || len(other.Candidates) != 0 {
		t.Fatalf("New York agent sees %d candidates (err %v), want none", len(other.Candidates), err)
	}
	if err := Call("POST", newYork.URL("/v1/candidates/"+url.PathEscape(id)+"/confirm"), nil, nil); err == nil {
		t.Fatal("a dealer outside the candidate's scope confirmed it")
	}
	if err := Call("POST", chicago.URL("/v1/candidates/"+url.PathEscape(id)+"/confirm"), nil, nil); err != nil {
		t.Fatalf("confirm at the Chicago agent: %v", err)
	}
	Eventually(t, 20*time.Second, "merged profile at the agent", func() error {
		found, err := chicago.Cached("email", "k.smith84@example.com")
		if err != nil {
			return err
		}
		if len(found) != 1 || len(found[0].Events) != 2 {
			return fmt.Errorf("%d profiles", len(found))
		}
		return nil
	})
	var hub []customer.Profile
	hub, _ = Search(c.Nodes[0].URL(""), "email", "kathy.smith@example.com")
	if len(hub) != 1 || len(hub[0].Emails) != 2 {
		t.Fatalf("hub after confirm: %+v", hub)
	}
}
