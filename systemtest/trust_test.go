package systemtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// forgeWebEvent posts one event to the website snippet's endpoint as a
// script outside any browser can: the site's publishable key and a
// forged Origin header.
func forgeWebEvent(t *testing.T, node, key, origin string, hints map[string]string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"events": []any{map[string]any{
		"id": fmt.Sprintf("forged-%d", time.Now().UnixNano()), "type": "brochure_requested", "customer": hints,
	}}})
	req, _ := http.NewRequest(http.MethodPost, "http://"+node+"/v1/web/events?key="+key, bytes.NewReader(body))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Origin", origin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Results []customer.EventResult }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || out.Results[0].Status != customer.StatusCreated {
		t.Fatalf("forged web event: %d %+v %v", resp.StatusCode, out.Results, err)
	}
}

// The attack a public website endpoint invites: one request that names a
// known customer's e-mail and another's phone. Alice and Bob, both met at
// a dealer, stay two people and a match candidate is raised; a phone
// the attacker attaches to Alice is shown as a claim at the dealer.
func TestTrust_ForgedWebsiteRequestMergesNobody(t *testing.T) {
	const origin = "https://www.zot.example"
	c := StartCluster(t, 3, "--web-origins", "web:zot.example="+origin)
	node := c.Nodes[0]
	key := strings.TrimSpace(Run(t, "touchpoint-hub", "key", "create", "--source", "web:zot.example", "--publishable", "--addr", node.HTTP))
	c.AddDealer("D-017", "606")
	chicago := c.StartAgent("D-017")

	alice := NewEvent("visit-alice", "dealer:D-017", "showroom_visit", "", time.Now())
	alice.Customer.Email, alice.Customer.GivenName = "alice.forge@example.com", "Alice"
	bob := NewEvent("visit-bob", "dealer:D-017", "showroom_visit", "(773) 555-0150", time.Now())
	bob.Customer.GivenName = "Bob"
	for _, e := range []customer.Event{alice, bob} {
		if got := chicago.Record(e); got != customer.StatusCreated {
			t.Fatalf("record %s: %s", e.ID, got)
		}
	}
	Eventually(t, 30*time.Second, "both visits at the hub", func() error {
		a, _ := Search(node.URL(""), "email", "alice.forge@example.com")
		b, _ := Search(node.URL(""), "phone", "773-555-0150")
		if len(a) != 1 || len(b) != 1 {
			return fmt.Errorf("%d and %d profiles", len(a), len(b))
		}
		return nil
	})

	forgeWebEvent(t, node.HTTP, key, origin, map[string]string{"web_id": "w-attacker", "email": "alice.forge@example.com", "phone": "773 555 0150"})
	forgeWebEvent(t, node.HTTP, key, origin, map[string]string{"web_id": "w-attacker", "email": "alice.forge@example.com", "phone": "312 555 0166"})

	a, _ := Search(node.URL(""), "email", "alice.forge@example.com")
	b, _ := Search(node.URL(""), "phone", "773-555-0150")
	if len(a) != 1 || len(b) != 1 || a[0].CustomerID == b[0].CustomerID {
		t.Fatalf("after the forged request: alice %d profiles, bob %d, same person: %v", len(a), len(b), len(a) == 1 && len(b) == 1 && a[0].CustomerID == b[0].CustomerID)
	}
	var list struct {
		Candidates []struct{ A, B string }
	}
	if err := Call("GET", "http://"+node.HTTP+"/v1/candidates", nil, &list); err != nil {
		t.Fatal(err)
	}
	pair := []string{a[0].CustomerID, b[0].CustomerID}
	if !slices.ContainsFunc(list.Candidates, func(c struct{ A, B string }) bool {
		return slices.Contains(pair, c.A) && slices.Contains(pair, c.B)
	}) {
		t.Fatalf("candidates %+v, want one pairing %v", list.Candidates, pair)
	}
	Eventually(t, 30*time.Second, "the attacker's phone shown as a claim at the dealer", func() error {
		found, err := chicago.Cached("phone", "312-555-0166")
		if err != nil || len(found) != 1 {
			return fmt.Errorf("%d profiles, %v", len(found), err)
		}
		if !found[0].Claimed("phone:+13125550166") || found[0].Claimed("email:alice.forge@example.com") {
			return fmt.Errorf("claimed identifiers %v", found[0].ClaimedIdentifiers)
		}
		return nil
	})
}
