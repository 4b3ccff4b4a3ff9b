package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/httpapi"
)

const siteOrigin = "https://www.zot.example"

// webIntake allows www.zot.example to use web:zot.example's snippet.
func webIntake() httpapi.Intake {
	return httpapi.Intake{
		RateLimit:  httpapi.RateLimit{PerSecond: 1, Burst: 20},
		WebOrigins: map[string][]string{"web:zot.example": {siteOrigin}},
	}
}

// webEvent is what the snippet sends: no channel or source of its own.
func webEvent(id, typ string, customer map[string]any) map[string]any {
	return map[string]any{"id": id, "type": typ, "occurred_at": "2026-11-02T18:22:05Z", "customer": customer}
}

func webBody(t *testing.T, events ...any) []byte { return mustJSON(t, batch(events...)) }

// The snippet's endpoint takes only a publishable key of a web source,
// only from the origins configured for it, only website events carrying
// a web_id; every refusal names what is wrong; CORS headers go to
// configured origins only.
func TestWebEvents_Validation(t *testing.T) {
	t.Parallel()
	h, _ := mustIntakeNode(t, webIntake())
	pub := mustKey(t, h, "web:zot.example", true)
	other := mustKey(t, h, "web:other.example", true)
	secret := mustKey(t, h, "web:zot.example", false)
	anon := map[string]any{"web_id": "w-1"}
	ok := webBody(t, webEvent("v-1", "page_view", anon))
	origin := map[string]string{"Origin": siteOrigin, "Content-Type": "text/plain;charset=UTF-8"}
	tests := []struct {
		name       string
		req        request
		wantStatus int
		wantField  string
		wantCORS   bool
	}{
		{"valid page view", request{"POST", "/v1/web/events?key=" + pub, ok, origin}, 200, "", true},
		{"no key", request{"POST", "/v1/web/events", ok, origin}, 401, "key", false},
		{"unknown key", request{"POST", "/v1/web/events?key=tpw_nope", ok, origin}, 401, "key", false},
		{"secret channel key in the query", request{"POST", "/v1/web/events?key=" + secret, ok, origin}, 401, "key", false},
		{"no Origin", request{"POST", "/v1/web/events?key=" + pub, ok, nil}, 403, "Origin", false},
		{"another site's origin", request{"POST", "/v1/web/events?key=" + pub, ok, map[string]string{"Origin": "https://evil.example"}}, 403, "Origin", false},
		{"origin of another source", request{"POST", "/v1/web/events?key=" + other, ok, origin}, 403, "Origin", false},
		{"body over 64 KiB", request{"POST", "/v1/web/events?key=" + pub, bytes.Repeat([]byte(" "), httpapi.WebMaxBodyBytes+1), origin}, 413, "body", true},
		{"more than 100 events", request{"POST", "/v1/web/events?key=" + pub, webBody(t, slices.Repeat([]any{webEvent("x", "page_view", anon)}, 101)...), origin}, 413, "events", true},
		{"not JSON", request{"POST", "/v1/web/events?key=" + pub, []byte("page_view"), origin}, 400, "body", true},
		{"no events", request{"POST", "/v1/web/events?key=" + pub, []byte(`{"events":[]}`), origin}, 400, "events", true},
		{"type not for websites", request{"POST", "/v1/web/events?key=" + pub, webBody(t, webEvent("v-2", "purchase", anon)), origin}, 400, "type", true},
		{"no web_id", request{"POST", "/v1/web/events?key=" + pub, webBody(t, webEvent("v-3", "brochure_requested", map[string]any{"email": "a@example.com"})), origin}, 400, "customer.web_id", true},
		{"customer_id", request{"POST", "/v1/web/events?key=" + pub, webBody(t, webEvent("v-4", "page_view", map[string]any{"web_id": "w-1", "customer_id": "c-1"})), origin}, 400, "customer.customer_id", true},
		{"another source", request{"POST", "/v1/web/events?key=" + pub, webBody(t, mergeInto(webEvent("v-5", "page_view", anon), "source", "web:other.example")), origin}, 400, "source", true},
		{"another channel", request{"POST", "/v1/web/events?key=" + pub, webBody(t, mergeInto(webEvent("v-6", "page_view", anon), "channel", "phone")), origin}, 400, "channel", true},
		{"a visitor's clock far ahead", request{"POST", "/v1/web/events?key=" + pub, webBody(t, mergeInto(webEvent("v-9", "page_view", anon), "occurred_at", "2030-01-01T00:00:00Z")), origin}, 400, "occurred_at", true},
		{"bad email, dropped with a warning", request{"POST", "/v1/web/events?key=" + pub, webBody(t, webEvent("v-7", "brochure_requested", map[string]any{"web_id": "w-1", "email": "nope"})), origin}, 200, "", true},
		{"unknown field", request{"POST", "/v1/web/events?key=" + pub, webBody(t, webEvent("v-10", "brochure_requested", map[string]any{"web_id": "w-1", "mobile": "312-555-0142"})), origin}, 400, "customer.mobile", true},
		{"publishable key as a bearer token", request{"POST", "/v1/events", mustJSON(t, eventJSON("v-8", nil)), bearer(pub)}, 401, "", false},
		{"preflight from the site", request{"OPTIONS", "/v1/web/events?key=" + pub, nil, map[string]string{"Origin": siteOrigin, "Access-Control-Request-Method": "POST"}}, 204, "", true},
		{"preflight from elsewhere", request{"OPTIONS", "/v1/web/events", nil, map[string]string{"Origin": "https://evil.example"}}, 403, "Origin", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, h, tt.req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantField != "" {
				if got := decode(t, rec); got.Field != tt.wantField || got.Reason == "" {
					t.Errorf("field %q reason %q, want field %q with a reason", got.Field, got.Reason, tt.wantField)
				}
			}
			if got := rec.Header().Get("Access-Control-Allow-Origin"); (got == siteOrigin) != tt.wantCORS || (got != "" && got != siteOrigin) {
				t.Errorf("Access-Control-Allow-Origin %q, want it only for the configured origin (%v)", got, tt.wantCORS)
			}
		})
	}
}

func mergeInto(m map[string]any, k string, v any) map[string]any {
	m[k] = v
	return m
}

// A snippet event's hint that does not normalise is dropped and reported
// as a warning on the event's result; the event is recorded with the
// rest.
func TestWebEvents_DroppedHintIsWarned(t *testing.T) {
	t.Parallel()
	h, _ := mustIntakeNode(t, webIntake())
	pub := mustKey(t, h, "web:zot.example", true)
	body := webBody(t, webEvent("wd-1", "brochure_requested", map[string]any{"web_id": "w-wd", "phone": "call me", "email": "wd@example.com"}))
	rec := do(t, h, request{"POST", "/v1/web/events?key=" + pub, body, map[string]string{"Origin": siteOrigin}})
	res := decode(t, rec).Results
	if rec.Code != http.StatusOK || len(res) != 1 || res[0].Status != "created" {
		t.Fatalf("post: %d %s", rec.Code, rec.Body)
	}
	if w := res[0].Warnings; len(w) != 1 || w[0].Field != "customer.phone" || !strings.Contains(w[0].Reason, "not a valid phone number") {
		t.Errorf("warnings %+v, want one for customer.phone", w)
	}
}

// The snippet's key shares the per-key rate limit.
func TestWebEvents_RateLimited(t *testing.T) {
	t.Parallel()
	in := webIntake()
	in.RateLimit = httpapi.RateLimit{PerSecond: 1, Burst: 2}
	h, _ := mustIntakeNode(t, in)
	pub := mustKey(t, h, "web:zot.example", true)
	hdr := map[string]string{"Origin": siteOrigin}
	body := webBody(t, webEvent("r-1", "page_view", map[string]any{"web_id": "w"}), webEvent("r-2", "page_view", map[string]any{"web_id": "w"}))
	if rec := do(t, h, request{"POST", "/v1/web/events?key=" + pub, body, hdr}); rec.Code != 200 {
		t.Fatalf("first batch: %d %s", rec.Code, rec.Body)
	}
	rec := do(t, h, request{"POST", "/v1/web/events?key=" + pub, body, hdr})
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "2" {
		t.Fatalf("second batch: %d Retry-After %q: %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
}

// Anonymous page views and a saved configuration carry only the web_id;
// the brochure form adds the person's hints to the same web_id, and the
// hub joins the anonymous history to the person found by email.
func TestWebEvents_FormJoinsAnonymousHistory(t *testing.T) {
	t.Parallel()
	h, _ := mustIntakeNode(t, webIntake())
	pub := mustKey(t, h, "web:zot.example", true)
	hdr := map[string]string{"Origin": siteOrigin, "Content-Type": "text/plain"}
	anon := map[string]any{"web_id": "w-join"}
	post := func(events ...any) {
		t.Helper()
		if rec := do(t, h, request{"POST", "/v1/web/events?key=" + pub, webBody(t, events...), hdr}); rec.Code != 200 {
			t.Fatalf("post: %d %s", rec.Code, rec.Body)
		}
	}
	post(webEvent("j-1", "page_view", anon), webEvent("j-2", "page_view", anon))
	post(mergeInto(webEvent("j-3", "configurator_saved", anon), "vehicle", map[string]any{"model": "ZOT 12"}))
	post(webEvent("j-4", "brochure_requested", map[string]any{"web_id": "w-join", "email": "Ann.Lee@Example.com", "given_name": "Ann", "family_name": "Lee"}))
	rec := serve(t, h, http.MethodGet, "/v1/customers?email=ann.lee@example.com", nil)
	var out struct{ Customers []customer.Profile }
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Customers) != 1 {
		t.Fatalf("search by email: %d %s", rec.Code, rec.Body)
	}
	var ids []string
	for _, e := range out.Customers[0].Events {
		ids = append(ids, e.ID)
		if e.Channel != "web" || e.Source != "web:zot.example" {
			t.Errorf("event %s has channel %q source %q", e.ID, e.Channel, e.Source)
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"j-1", "j-2", "j-3", "j-4"}) {
		t.Fatalf("profile found by email holds %q, want the anonymous history too", ids)
	}
}

// The hub serves the snippet to any page: small, JavaScript, documented.
func TestSnippet_Served(t *testing.T) {
	t.Parallel()
	h, _ := mustIntakeNode(t, webIntake())
	rec := do(t, h, request{"GET", "/v1/web/touchpoint.js", nil, nil})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/javascript") {
		t.Fatalf("GET snippet: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, want := range []string{"data-key", "sendBeacon", "visibilitychange", "pagehide", "track", "identify"} {
		if !strings.Contains(body, want) {
			t.Errorf("snippet lacks %q", want)
		}
	}
	if len(body) > 8<<10 {
		t.Errorf("snippet is %d bytes, keep it under 8 KiB", len(body))
	}
	if rec := do(t, h, request{"POST", "/v1/web/keys", mustJSON(t, map[string]any{"source": "phone:tollfree"}), nil}); rec.Code != 400 {
		t.Errorf("publishable key for a phone source: %d %s", rec.Code, rec.Body)
	}
	if rec := do(t, h, request{"GET", "/v1/openapi.json", nil, map[string]string{"Authorization": "Bearer nobody"}}); rec.Code != 200 || !json.Valid(rec.Body.Bytes()) {
		t.Errorf("GET /v1/openapi.json without a valid token: %d", rec.Code)
	}
}
