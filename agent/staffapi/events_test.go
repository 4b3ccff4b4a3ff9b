package staffapi

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/protocol"
)

// postResults posts events and returns the status and per-event results.
func (a *testAgent) postResults(events ...map[string]any) (int, []string, apiError) {
	a.t.Helper()
	code, results, e := a.postEvents(events...)
	var got []string
	for _, r := range results {
		got = append(got, r.ID+":"+r.Status)
	}
	return code, got, e
}

// postEvents posts events and returns the status and the full results.
func (a *testAgent) postEvents(events ...map[string]any) (int, []protocol.Result, apiError) {
	a.t.Helper()
	var out struct {
		Results []protocol.Result
		apiError
	}
	code := a.apiCall("POST", "/v1/events", testAdminToken, map[string]any{"events": events}, &out)
	return code, out.Results, out.apiError
}

func visit(id string) map[string]any {
	return map[string]any{"id": id, "type": "showroom_visit", "customer": map[string]string{"phone": "312-555-0142"}}
}

// A request's events are recorded together and answered one by one, as
// before: new ones created, repeats (earlier or in the same request)
// duplicates, each new one in the outbox and today's up-log.
func TestPostEvents_ResultsPerEvent(t *testing.T) {
	a := mustStartAgent(t)
	code, got, _ := a.postResults(visit("v-1"))
	if code != http.StatusOK || !slices.Equal(got, []string{"v-1:created"}) {
		t.Fatalf("first post: %d %q", code, got)
	}
	code, got, _ = a.postResults(visit("v-2"), visit("v-1"), visit("v-3"), visit("v-2"))
	if want := []string{"v-2:created", "v-1:duplicate", "v-3:created", "v-2:duplicate"}; code != http.StatusOK || !slices.Equal(got, want) {
		t.Fatalf("batch post: %d %q, want %q", code, got, want)
	}
	if n, err := a.store.OutboxLen(); err != nil || n != 3 {
		t.Errorf("outbox = %d, %v; want 3", n, err)
	}
	visits, err := a.store.Visits(time.Now())
	if err != nil || len(visits) != 3 {
		t.Errorf("up-log = %d visits, %v; want 3", len(visits), err)
	}
}

// The agent answers as the hub does: an invalid event is rejected on its
// own, naming the field, and the request's valid events are recorded; a
// request with no valid event is refused with the first rejection.
func TestPostEvents_InvalidEventRejectedAlone(t *testing.T) {
	a := mustStartAgent(t)
	bad := visit("v-2")
	bad["source"] = "dealer:D-999"
	code, got, _ := a.postResults(visit("v-1"), bad)
	if want := []string{"v-1:created", "v-2:rejected"}; code != http.StatusOK || !slices.Equal(got, want) {
		t.Fatalf("post with a wrong source: %d %q, want %q", code, got, want)
	}
	code, got, e := a.postResults(bad)
	if code != http.StatusBadRequest || e.Field != "source" || e.Reason == "" || !slices.Equal(got, []string{"v-2:rejected"}) {
		t.Fatalf("post of only a wrong source: %d %q %+v; want 400 naming source", code, got, e)
	}
	if n, err := a.store.OutboxLen(); err != nil || n != 1 {
		t.Errorf("outbox = %d, %v; want only v-1 recorded", n, err)
	}
}

// Recording locally, the agent gives the same rejections and warnings as
// the hub: an unknown field is refused with its path, a hint that does
// not normalise (in the dealer's region) is dropped and reported, and an
// event whose hints are all invalid is refused.
func TestPostEvents_SameRejectionsAndWarningsAsTheHub(t *testing.T) {
	a := mustStartAgent(t)
	withHints := func(id string, hints map[string]string) map[string]any {
		e := visit(id)
		e["customer"] = hints
		return e
	}
	colour := visit("s-4")
	colour["vehicle"] = map[string]any{"model": "ZOT 12", "colour": "red"}
	code, res, _ := a.postEvents(
		withHints("s-1", map[string]string{"mobile": "312-555-0142"}),
		withHints("s-2", map[string]string{"phone": "call me", "email": "s2@example.com"}),
		withHints("s-3", map[string]string{"phone": "030 1234567", "email": "not an address"}),
		colour,
		withHints("s-5", map[string]string{"phone": "(312) 555-0143", "email": "S5@Example.com"}),
	)
	if code != http.StatusOK || len(res) != 5 {
		t.Fatalf("post: %d %+v", code, res)
	}
	want := []struct{ status, field, warned string }{
		{"rejected", "customer.mobile", ""},
		{"created", "", "customer.phone"},
		{"rejected", "customer", ""},
		{"rejected", "vehicle.colour", ""},
		{"created", "", ""},
	}
	for i, w := range want {
		r := res[i]
		warned := ""
		if len(r.Warnings) == 1 && r.Warnings[0].Reason != "" {
			warned = r.Warnings[0].Field
		}
		if r.Status != w.status || r.Field != w.field || warned != w.warned || (w.status == "rejected" && r.Reason == "") {
			t.Errorf("result %d = %+v, want %s %s warned %q", i, r, w.status, w.field, w.warned)
		}
	}
	if !strings.Contains(res[2].Reason, "customer.phone is not a valid phone number (read as a number of US") {
		t.Errorf("rejection of s-3 says %q, want the dropped hints named", res[2].Reason)
	}
	if n, err := a.store.OutboxLen(); err != nil || n != 2 {
		t.Errorf("outbox = %d, %v; want s-2 and s-5", n, err)
	}
}

// The staff page's form refuses a hint that does not normalise instead of
// dropping it, saying what is wrong: the person at the form can correct
// it, and nothing is recorded until then.
func TestPage_WalkInWithInvalidPhoneIsRefused(t *testing.T) {
	a, b, csrf := mustSignIn(t)
	walkIn := url.Values{"csrf": {csrf}, "type": {"showroom_visit"}, "phone": {"call me"}, "given_name": {"Misha"}}
	res := b.post("/visits", walkIn)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "customer.phone is not a valid phone number") {
		t.Fatalf("walk-in with an invalid phone: %d %s", res.status, res.body)
	}
	if n, err := a.store.OutboxLen(); err != nil || n != 0 {
		t.Errorf("outbox = %d, %v; want nothing recorded", n, err)
	}
}
