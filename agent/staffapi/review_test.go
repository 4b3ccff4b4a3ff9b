package staffapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// annaTwice is a candidate pair: Anna as the hub knows her, and an Ana
// Petrova at the same address with another phone.
func annaTwice() protocol.CandidateView {
	a := annaProfile()
	b := customer.Profile{CustomerID: "C-ana", GivenName: "Ana", FamilyName: "Petrova", Phones: []string{"+13125550199"}}
	return protocol.CandidateView{ID: "C-ana~C-anna", A: b, B: a, Score: 0.82, Reason: "similar name, address or birth date",
		Evidence: []customer.Evidence{{Field: "name", A: "ana petrova", B: "anna petrova", Similarity: 0.96}}}
}

// The review page shows each pair side by side with its evidence, and a
// decision goes to the hub in the staff member's name and into the audit.
func TestReview_PageShowsPairsAndSendsDecisions(t *testing.T) {
	a, b, csrf := mustSignIn(t)
	a.hub.mu.Lock()
	a.hub.candidates = []protocol.CandidateView{annaTwice()}
	a.hub.mu.Unlock()

	list := b.get("/candidates")
	assertContains(t, "review page", list.body, "Ana Petrova", "Anna Petrova", "match 82%", "ana petrova", "96%", "Same person", "Different people")
	res := b.post("/candidates/C-ana~C-anna", url.Values{"csrf": {csrf}, "decision": {"confirm"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/candidates?decided") {
		t.Fatalf("decide: %d to %q", res.status, res.location)
	}
	if got := a.hub.decisions; len(got) != 1 || got[0] != "C-ana~C-anna true by m.jones" {
		t.Errorf("hub got decisions %v", got)
	}
	assertContains(t, "page after deciding", b.get("/candidates?decided=1").body, "Saved at the hub", "No possible duplicates")

	var audit struct {
		Entries []struct {
			Action     string
			CustomerID string `json:"customer_id"`
		}
	}
	a.apiCall("GET", "/v1/audit?staff=m.jones", testAdminToken, nil, &audit)
	decided := 0
	for _, e := range audit.Entries {
		if e.Action == actionDecide {
			decided++
		}
	}
	if decided != 2 {
		t.Errorf("audit has %d decide entries, want 2 (both customers): %v", decided, audit.Entries)
	}
}

// Review fails clearly: offline, a form without its CSRF token, an
// unknown decision, a candidate the hub refuses.
func TestReview_Refusals(t *testing.T) {
	a, b, csrf := mustSignIn(t)
	a.hub.mu.Lock()
	a.hub.candidates = []protocol.CandidateView{annaTwice()}
	a.hub.mu.Unlock()
	tests := []struct {
		name   string
		form   url.Values
		path   string
		status int
		want   string
	}{
		{"no csrf", url.Values{"decision": {"confirm"}}, "/candidates/C-ana~C-anna", http.StatusForbidden, "form has expired"},
		{"no decision", url.Values{"csrf": {csrf}}, "/candidates/C-ana~C-anna", http.StatusBadRequest, "Same person"},
		{"unknown candidate", url.Values{"csrf": {csrf}, "decision": {"reject"}}, "/candidates/C-x~C-y", http.StatusBadRequest, "no open candidate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := b.post(tt.path, tt.form)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d", res.status, tt.status)
			}
			assertContains(t, tt.name, res.body, tt.want)
		})
	}
	a.hub.setOnline(false)
	assertContains(t, "offline review page", b.get("/candidates").body, "needs the hub")
	if code := a.apiCall("POST", "/v1/candidates/C-ana~C-anna/confirm", testAdminToken, nil, nil); code != http.StatusServiceUnavailable {
		t.Errorf("offline decision via API: %d, want 503", code)
	}
}

// The JSON API lists candidates and takes decisions like the hub's.
func TestReview_JSONAPI(t *testing.T) {
	a, _, _ := mustSignIn(t)
	a.hub.mu.Lock()
	a.hub.candidates = []protocol.CandidateView{annaTwice()}
	a.hub.mu.Unlock()
	var list struct{ Candidates []protocol.CandidateView }
	if code := a.apiCall("GET", "/v1/candidates", testAdminToken, nil, &list); code != http.StatusOK || len(list.Candidates) != 1 {
		t.Fatalf("list: %d %+v", code, list)
	}
	var out map[string]string
	if code := a.apiCall("POST", "/v1/candidates/C-ana~C-anna/reject", testAdminToken, nil, &out); code != http.StatusOK || out["status"] != "rejected" {
		t.Fatalf("reject: %d %v", code, out)
	}
}
