package httpapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/httpapi"
)

// call is one call record of line; fields override.
func call(id, line string, fields map[string]any) map[string]any {
	c := map[string]any{
		"id": id, "line": line, "direction": "inbound", "caller": "(312) 555-0142", "agent": "kim",
		"started_at": "2026-11-02T18:22:05Z", "duration_seconds": 60, "disposition": "answered",
	}
	for k, v := range fields {
		c[k] = v
	}
	return c
}

// The phone webhook takes a phone:<line> key (its own line only) or the
// operator token, answers like /v1/events with a result per call, and is
// idempotent by (line, id).
func TestPhoneCalls_HTTP(t *testing.T) {
	t.Parallel()
	h, _ := mustIntakeNode(t, httpapi.Intake{PhoneLineCountry: map[string]string{"berlin": "DE"}})
	tollfree := mustKey(t, h, "phone:tollfree", false)
	web := mustKey(t, h, "web:zot.example", false)
	tests := []struct {
		name       string
		req        request
		wantStatus int
		wantField  string
		want       []string
	}{
		{"one call with the line's key", request{"POST", "/v1/channels/phone/calls", mustJSON(t, call("h-1", "tollfree", nil)), bearer(tollfree)}, 200, "", []string{"created"}},
		{"the same call again", request{"POST", "/v1/channels/phone/calls", mustJSON(t, call("h-1", "tollfree", nil)), bearer(tollfree)}, 200, "", []string{"duplicate"}},
		{"a batch mixing lines", request{"POST", "/v1/channels/phone/calls", mustJSON(t, map[string]any{"calls": []any{
			call("h-2", "tollfree", nil), call("h-3", "berlin", map[string]any{"caller": "+1 312 555 0142"}), call("h-4", "tollfree", map[string]any{"caller": "x"}),
		}}), bearer(tollfree)}, 200, "", []string{"created", "rejected calls[1].line", "rejected calls[2].caller"}},
		{"one call of another line", request{"POST", "/v1/channels/phone/calls", mustJSON(t, call("h-5", "berlin", map[string]any{"caller": "+1 312 555 0142"})), bearer(tollfree)}, 400, "line", []string{"rejected line"}},
		{"a web key", request{"POST", "/v1/channels/phone/calls", mustJSON(t, call("h-6", "tollfree", nil)), bearer(web)}, 403, "", nil},
		{"no token", request{"POST", "/v1/channels/phone/calls", mustJSON(t, call("h-7", "tollfree", nil)), bearer("nope")}, 401, "", nil},
		{"operator posts any line", request{"POST", "/v1/channels/phone/calls", mustJSON(t, map[string]any{"calls": []any{
			call("h-8", "berlin", map[string]any{"caller": "030 90182736", "direction": "outbound"}),
		}}), nil}, 200, "", []string{"created"}},
		{"body over 1 MiB", request{"POST", "/v1/channels/phone/calls", make([]byte, httpapi.MaxBodyBytes+1), nil}, 413, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, h, tt.req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			got := decode(t, rec)
			if got.Field != tt.wantField {
				t.Errorf("field %q, want %q", got.Field, tt.wantField)
			}
			if s := statuses(got.Results); !slices.Equal(s, tt.want) {
				t.Errorf("results %q, want %q", s, tt.want)
			}
		})
	}
	// The Berlin call's number was read as German: the line's country.
	rec := serve(t, h, http.MethodGet, "/v1/customers?phone=%2B493090182736", nil)
	var out struct{ Customers []customer.Profile }
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Customers) != 1 {
		t.Fatalf("search +493090182736: %d %s", rec.Code, rec.Body)
	}
	if e := out.Customers[0].Events; len(e) != 1 || e[0].Type != "call_outbound" || e[0].Source != "phone:berlin" {
		t.Fatalf("Berlin caller's timeline: %+v", e)
	}
}
