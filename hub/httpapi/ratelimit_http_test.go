package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/hub/httpapi"
)

func jsonInto(b []byte, v any) error { return json.Unmarshal(b, v) }

// events is a batch of n valid events of source with ids prefix-0...
func events(source, prefix string, n int) []byte {
	list := make([]any, n)
	for i := range list {
		list[i] = eventJSON(fmt.Sprintf("%s-%d", prefix, i), map[string]any{"source": source})
	}
	b, _ := json.Marshal(batch(list...))
	return b
}

// Each channel key has its own budget of events: past it a request is
// refused whole with 429 and Retry-After in whole seconds, a request
// larger than the burst with 413 naming the burst, while other keys and
// the operator go on; the budget refills with time.
func TestRateLimit_PerChannelKey(t *testing.T) {
	t.Parallel()
	h, clock := mustIntakeNode(t, httpapi.Intake{RateLimit: httpapi.RateLimit{PerSecond: 2, Burst: 5}})
	web := mustKey(t, h, "web:zot.example", false)
	phone := mustKey(t, h, "phone:tollfree", false)
	call := func(id string) []byte {
		return []byte(`{"id":"` + id + `","line":"tollfree","direction":"inbound","caller":"+13125550142","started_at":"2026-11-02T18:22:05Z"}`)
	}
	steps := []struct {
		name       string
		req        request
		advance    time.Duration
		wantStatus int
		wantRetry  string
		wantInBody string
	}{
		{name: "web key spends its burst", req: request{"POST", "/v1/events", events("web:zot.example", "a", 5), bearer(web)}, wantStatus: 200},
		{name: "web key over budget", req: request{"POST", "/v1/events", events("web:zot.example", "b", 1), bearer(web)}, wantStatus: 429, wantRetry: "1", wantInBody: "2 events/s"},
		{name: "bigger request, longer wait", req: request{"POST", "/v1/events", events("web:zot.example", "c", 5), bearer(web)}, wantStatus: 429, wantRetry: "3"},
		{name: "more than the burst at once", req: request{"POST", "/v1/events", events("web:zot.example", "d", 6), bearer(web)}, wantStatus: 413, wantInBody: "burst of 5"},
		{name: "a body that is not events costs one", req: request{"POST", "/v1/events", []byte(`{`), bearer(web)}, wantStatus: 429, wantRetry: "1"},
		{name: "phone key has its own budget", req: request{"POST", "/v1/channels/phone/calls", call("p-1"), bearer(phone)}, wantStatus: 200},
		{name: "operator is not limited", req: request{"POST", "/v1/events", events("web:zot.example", "op", 50), nil}, wantStatus: 200},
		{name: "budget refills", advance: 1500 * time.Millisecond, req: request{"POST", "/v1/events", events("web:zot.example", "e", 3), bearer(web)}, wantStatus: 200},
		{name: "and runs out again", req: request{"POST", "/v1/events", events("web:zot.example", "f", 1), bearer(web)}, wantStatus: 429, wantRetry: "1"},
	}
	for _, s := range steps {
		clock.Advance(s.advance)
		rec := do(t, h, s.req)
		if rec.Code != s.wantStatus {
			t.Fatalf("%s: status %d, want %d: %s", s.name, rec.Code, s.wantStatus, rec.Body)
		}
		if got := rec.Header().Get("Retry-After"); got != s.wantRetry {
			t.Errorf("%s: Retry-After %q, want %q", s.name, got, s.wantRetry)
		}
		if !strings.Contains(rec.Body.String(), s.wantInBody) {
			t.Errorf("%s: answer %s does not say %q", s.name, rec.Body, s.wantInBody)
		}
	}
}

// The batch limit is enforced with a 400 that names it, before any rate
// limit is charged.
func TestPostEvents_BatchLimitNamesTheLimit(t *testing.T) {
	t.Parallel()
	h, _ := mustIntakeNode(t, httpapi.Intake{})
	rec := do(t, h, request{"POST", "/v1/events", events("web:zot.example", "big", 1001), nil})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "more than 1000") {
		t.Fatalf("1001 events: %d %s, want 400 naming 1000", rec.Code, rec.Body)
	}
	rec = do(t, h, request{"POST", "/v1/events", events("web:zot.example", "max", 1000), nil})
	if rec.Code != http.StatusOK {
		t.Fatalf("1000 events: %d %s", rec.Code, rec.Body)
	}
}
