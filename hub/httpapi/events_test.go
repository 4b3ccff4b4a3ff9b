package httpapi_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/hub/httpapi"
)

// POST /v1/events answers 200 with a result per event once committed,
// 400 naming the field when nothing is valid or the body is not events,
// and 413 for a body over 1 MiB.
func TestPostEvents(t *testing.T) {
	t.Parallel()
	_, h := mustNode(t)
	many := make([]any, 1001)
	for i := range many {
		many[i] = map[string]any{}
	}
	tests := []struct {
		name       string
		before     []byte // posted first, answer ignored
		body       []byte
		wantStatus int
		wantField  string   // of a 400
		want       []string // statuses, with the field of rejections
	}{
		{
			name: "valid single event", body: mustJSON(t, eventJSON("single", nil)),
			wantStatus: http.StatusOK, want: []string{"created"},
		},
		{
			name:   "same event again",
			before: mustJSON(t, eventJSON("twice", nil)), body: mustJSON(t, eventJSON("twice", nil)),
			wantStatus: http.StatusOK, want: []string{"duplicate"},
		},
		{
			name: "batch of valid events", body: mustJSON(t, batch(eventJSON("b-1", nil), eventJSON("b-2", nil))),
			wantStatus: http.StatusOK, want: []string{"created", "created"},
		},
		{
			name: "batch mixing valid and invalid events",
			body: mustJSON(t, batch(
				eventJSON("m-1", nil),
				eventJSON("m-2", map[string]any{"channel": "fax"}),
				eventJSON("m-3", nil),
				eventJSON("m-4", map[string]any{"occurred_at": "yesterday"}),
				eventJSON("m-5", map[string]any{"customer": map[string]any{}}),
				eventJSON("m-6", map[string]any{"source": "carrier-pigeon"}),
				eventJSON("m-7", map[string]any{"vehicle": map[string]any{"year": "new"}}),
				eventJSON("m-8", map[string]any{"customer": map[string]any{"email": "no-at-sign"}}),
				eventJSON("m-9", map[string]any{"customer": map[string]any{"email": "m-9@example.com", "mobile": "312-555-0142"}}),
				eventJSON("m-10", map[string]any{"customer": map[string]any{"email": "m-10@example.com", "phone": "call me"}}),
			)),
			wantStatus: http.StatusOK,
			want: []string{
				"created", "rejected channel", "created", "rejected occurred_at",
				"rejected customer", "rejected source", "rejected vehicle.year", "rejected customer",
				"rejected customer.mobile", "created",
			},
		},
		{
			name:       "unknown top-level field",
			body:       mustJSON(t, eventJSON("u-1", map[string]any{"mobile": "312-555-0142"})),
			wantStatus: http.StatusBadRequest, wantField: "mobile", want: []string{"rejected mobile"},
		},
		{
			name:       "unknown vehicle field",
			body:       mustJSON(t, eventJSON("u-2", map[string]any{"vehicle": map[string]any{"model": "ZOT 12", "colour": "red"}})),
			wantStatus: http.StatusBadRequest, wantField: "vehicle.colour", want: []string{"rejected vehicle.colour"},
		},
		{
			name:       "any field inside attributes",
			body:       mustJSON(t, eventJSON("u-3", map[string]any{"attributes": map[string]any{"mobile": "312-555-0142"}})),
			wantStatus: http.StatusOK, want: []string{"created"},
		},
		{
			name:       "only hints that do not normalise",
			body:       mustJSON(t, eventJSON("u-4", map[string]any{"customer": map[string]any{"phone": "call me", "email": "nobody"}})),
			wantStatus: http.StatusBadRequest, wantField: "customer", want: []string{"rejected customer"},
		},
		{
			name:       "single invalid event",
			body:       mustJSON(t, eventJSON("no-id", map[string]any{"id": nil})),
			wantStatus: http.StatusBadRequest, wantField: "id", want: []string{"rejected id"},
		},
		{
			name: "batch of invalid events names the first field",
			body: mustJSON(t, batch(
				eventJSON("i-1", map[string]any{"type": "Page View"}),
				eventJSON("i-2", map[string]any{"channel": ""}),
			)),
			wantStatus: http.StatusBadRequest, wantField: "type", want: []string{"rejected type", "rejected channel"},
		},
		{
			name: "event that is not an object", body: []byte(`{"events": [1]}`),
			wantStatus: http.StatusBadRequest, wantField: "event", want: []string{"rejected event"},
		},
		{name: "malformed JSON", body: []byte(`{"id": "x",`), wantStatus: http.StatusBadRequest},
		{name: "JSON array", body: []byte(`[{"id": "x"}]`), wantStatus: http.StatusBadRequest},
		{name: "empty body", body: []byte{}, wantStatus: http.StatusBadRequest},
		{name: "empty batch", body: []byte(`{"events": []}`), wantStatus: http.StatusBadRequest},
		{name: "more than 1000 events", body: mustJSON(t, batch(many...)), wantStatus: http.StatusBadRequest},
		{
			name:       "body over 1 MiB",
			body:       append(append([]byte(`{"events": [`), bytes.Repeat([]byte(" "), httpapi.MaxBodyBytes)...), `]}`...),
			wantStatus: http.StatusRequestEntityTooLarge,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				serve(t, h, http.MethodPost, "/v1/events", tt.before)
			}
			rec := serve(t, h, http.MethodPost, "/v1/events", tt.body)
			got := decode(t, rec)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if rec.Code != http.StatusOK && got.Error == "" {
				t.Errorf("error answer without a message: %s", rec.Body)
			}
			if got.Field != tt.wantField {
				t.Errorf("field %q, want %q", got.Field, tt.wantField)
			}
			if tt.wantField != "" && (got.Reason == "" || !strings.HasPrefix(got.Error, tt.wantField+": ")) {
				t.Errorf("error %q, reason %q do not explain field %s", got.Error, got.Reason, tt.wantField)
			}
			if s := statuses(got.Results); !slices.Equal(s, tt.want) {
				t.Fatalf("results %q, want %q", s, tt.want)
			}
			for _, r := range got.Results {
				if r.Status == "rejected" && r.Reason == "" {
					t.Errorf("rejection of %q has no reason", r.ID)
				}
				if r.Status != "rejected" && r.CustomerID == "" {
					t.Errorf("%s result for %q has no customer", r.Status, r.ID)
				}
			}
		})
	}
}

// The results of a batch keep the events' order, and events naming the
// same person in one batch join one customer.
func TestPostEvents_BatchResultsFollowEventOrder(t *testing.T) {
	t.Parallel()
	_, h := mustNode(t)
	rec := serve(t, h, http.MethodPost, "/v1/events", mustJSON(t, batch(
		eventJSON("o-1", map[string]any{"customer": map[string]any{"email": "Same@Example.com"}}),
		eventJSON("o-2", map[string]any{"id": ""}),
		eventJSON("o-3", map[string]any{"customer": map[string]any{"email": "same@example.com", "phone": "+1 650 253 0000"}}),
		eventJSON("o-4", map[string]any{"customer": map[string]any{"phone": "(650) 253-0000"}}),
	)))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	res := decode(t, rec).Results
	var ids []string
	for _, r := range res {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, []string{"o-1", "", "o-3", "o-4"}) {
		t.Fatalf("result ids %q", ids)
	}
	if res[0].CustomerID != res[2].CustomerID || res[2].CustomerID != res[3].CustomerID {
		t.Fatalf("customers %s, %s, %s", res[0].CustomerID, res[2].CustomerID, res[3].CustomerID)
	}
}

// A hint that does not normalise is dropped and reported on the event's
// result, field and reason, whatever becomes of the event; the event is
// recorded with its other hints and found by them, not by the dropped one.
func TestPostEvents_DroppedHintsAreWarned(t *testing.T) {
	t.Parallel()
	_, h := mustNode(t)
	body := mustJSON(t, batch(
		eventJSON("w-1", map[string]any{"customer": map[string]any{"email": "W-1@Example.com", "phone": "call me"}}),
		eventJSON("w-2", map[string]any{"customer": map[string]any{"phone": "(312) 555-0177", "email": "w-2 at example.com"}}),
		eventJSON("w-3", map[string]any{"customer": map[string]any{"email": "w-3@example.com", "phone": "+1 312 555 0178"}}),
	))
	for _, round := range []string{"created", "duplicate"} {
		rec := serve(t, h, http.MethodPost, "/v1/events", body)
		res := decode(t, rec).Results
		if rec.Code != http.StatusOK || len(res) != 3 {
			t.Fatalf("%s: %d %s", round, rec.Code, rec.Body)
		}
		want := [][2]string{{"customer.phone", "is not a valid phone number (read as a number of US when it has no country code)"}, {"customer.email", "is not an email address"}}
		for i, r := range res {
			var got [][2]string
			for _, w := range r.Warnings {
				got = append(got, [2]string{w.Field, w.Reason})
			}
			if r.Status != round || (i < 2 && !slices.Equal(got, want[i:i+1])) || (i == 2 && got != nil) {
				t.Errorf("%s: result %+v, want status %s and warnings %v", round, r, round, want[min(i, 1):min(i+1, 2)])
			}
		}
	}
	rec := serve(t, h, http.MethodGet, "/v1/customers?phone=312-555-0177", nil)
	if got := decode(t, rec).Customers; rec.Code != http.StatusOK || len(got) != 1 {
		t.Errorf("search by the kept phone: %d %s", rec.Code, rec.Body)
	}
}
