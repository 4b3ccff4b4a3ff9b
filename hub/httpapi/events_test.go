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
			)),
			wantStatus: http.StatusOK,
			want: []string{
				"created", "rejected channel", "created", "rejected occurred_at",
				"rejected customer", "rejected source", "rejected vehicle.year", "rejected customer.email",
			},
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
