package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// Any body posted to /v1/events gets a JSON answer of 200, 400, 413 or
// 503, never a panic; a 200 carries a known status for every result, a
// reason for every rejection and a customer field and reason for every
// warning. One real single-node hub serves the whole run (per fuzz
// worker), so valid inputs are committed through Raft.
func FuzzPostEvents(f *testing.F) {
	f.Add(mustJSON(f, eventJSON("seed-1", nil)))
	f.Add(mustJSON(f, batch(eventJSON("seed-2", nil), eventJSON("seed-3", map[string]any{"channel": "fax"}))))
	f.Add(mustJSON(f, eventJSON("seed-4", map[string]any{
		"customer": map[string]any{
			"email": " Ann@Example.COM ", "phone": "(650) 253-0000", "given_name": "Ann", "family_name": "Lee",
			"address": map[string]any{"line1": "1 Main St", "postal_code": "94301", "country": "US"}, "birth_date": "1980-02-29",
		},
		"vehicle":    map[string]any{"model": "ZOT 12", "vin": "WZOT1234567890123", "year": 2026},
		"attributes": map[string]any{"trim": "Sport"}, "note": "called back", "staff": "kim",
		"source": "dealer:D1", "channel": "showroom", "type": "test_drive",
	})))
	f.Add(mustJSON(f, batch(
		eventJSON("seed-5", map[string]any{"customer": map[string]any{"mobile": "312-555-0142"}}),
		eventJSON("seed-6", map[string]any{"customer": map[string]any{"phone": "call me", "email": "seed-6@example.com"}}),
		eventJSON("seed-7", map[string]any{"customer": map[string]any{"phone": "call me"}}),
	)))
	f.Add([]byte(`{"events": []}`))
	f.Add([]byte(`{"events": [1, "x", null, [], {}]}`))
	f.Add([]byte(`{"events": null, "id": "x"}`))
	f.Add([]byte(`{"id": "\u0000", "occurred_at": "2026-13-01T00:00:00Z"}`))
	f.Add([]byte(`{"occurred_at": 5, "vehicle": {"year": 1e400}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{`))
	f.Add([]byte(strings.Repeat(`[`, 10000)))
	f.Add([]byte{0xff, 0xfe, '{', '}'})

	_, h := mustNode(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := serveWithin(t, 10*time.Second, h, http.MethodPost, "/v1/events", body)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusServiceUnavailable:
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		got := decode(t, rec)
		if rec.Code != http.StatusOK {
			if got.Error == "" {
				t.Fatalf("status %d without an error message", rec.Code)
			}
			return
		}
		if len(got.Results) == 0 {
			t.Fatalf("200 without results: %s", rec.Body)
		}
		committed := 0
		for _, r := range got.Results {
			for _, w := range r.Warnings {
				if !strings.HasPrefix(w.Field, "customer.") || w.Reason == "" {
					t.Fatalf("warning without a customer field or a reason: %s", rec.Body)
				}
			}
			switch r.Status {
			case protocol.StatusCreated, protocol.StatusDuplicate, customer.StatusConflict:
				committed++
				if r.CustomerID == "" {
					t.Fatalf("%s result without a customer: %s", r.Status, rec.Body)
				}
			case protocol.StatusRejected:
				if r.Reason == "" || r.Warnings != nil {
					t.Fatalf("rejection without a reason, or with warnings: %s", rec.Body)
				}
			default:
				t.Fatalf("result status %q: %s", r.Status, rec.Body)
			}
		}
		if committed == 0 {
			t.Fatalf("200 although every event was rejected: %s", rec.Body)
		}
	})
}
