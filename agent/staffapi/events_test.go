package staffapi

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// postResults posts events and returns the status and per-event results.
func (a *testAgent) postResults(events ...map[string]any) (int, []string, apiError) {
	a.t.Helper()
	var out struct {
		Results []struct{ ID, Status string }
		apiError
	}
	code := a.apiCall("POST", "/v1/events", testAdminToken, map[string]any{"events": events}, &out)
	var got []string
	for _, r := range out.Results {
		got = append(got, r.ID+":"+r.Status)
	}
	return code, got, out.apiError
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

// One invalid event refuses the whole request, naming the field, and
// records none of its events.
func TestPostEvents_InvalidEventRecordsNothing(t *testing.T) {
	a := mustStartAgent(t)
	bad := visit("v-2")
	bad["source"] = "dealer:D-999"
	code, _, e := a.postResults(visit("v-1"), bad)
	if code != http.StatusBadRequest || e.Field != "source" || e.Reason == "" {
		t.Fatalf("post with a wrong source: %d %+v; want 400 naming source", code, e)
	}
	if n, err := a.store.OutboxLen(); err != nil || n != 0 {
		t.Errorf("outbox = %d, %v; want nothing recorded", n, err)
	}
}
