package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
)

// GET /v1/customers finds a profile by any spelling of its identifiers,
// answers an empty list when nobody matches, and 400 without a query.
func TestSearchCustomers(t *testing.T) {
	t.Parallel()
	_, h := mustNode(t)
	rec := serve(t, h, http.MethodPost, "/v1/events", mustJSON(t, eventJSON("s-1", map[string]any{
		"customer": map[string]any{"email": "Dana.Ng@Example.com", "phone": "+1 650-253-0000", "given_name": "Dana", "family_name": "Ng"},
	})))
	if rec.Code != http.StatusOK {
		t.Fatalf("ingest: %d %s", rec.Code, rec.Body)
	}
	cust := decode(t, rec).Results[0].CustomerID

	tests := []struct {
		name       string
		query      url.Values
		wantStatus int
		wantField  string
		wantFound  int
	}{
		{name: "no query", query: url.Values{}, wantStatus: http.StatusBadRequest, wantField: "query"},
		{name: "only a region", query: url.Values{"region": {"US"}}, wantStatus: http.StatusBadRequest, wantField: "query"},
		{name: "phone in another format", query: url.Values{"phone": {"(650) 253 0000"}}, wantStatus: http.StatusOK, wantFound: 1},
		{name: "phone in E.164", query: url.Values{"phone": {"+16502530000"}}, wantStatus: http.StatusOK, wantFound: 1},
		{name: "email in another case", query: url.Values{"email": {" DANA.NG@example.COM"}}, wantStatus: http.StatusOK, wantFound: 1},
		{name: "name", query: url.Values{"name": {"dana"}}, wantStatus: http.StatusOK, wantFound: 1},
		{name: "customer id", query: url.Values{"customer_id": {cust}}, wantStatus: http.StatusOK, wantFound: 1},
		{name: "nobody", query: url.Values{"email": {"nobody@example.com"}}, wantStatus: http.StatusOK},
		{name: "invalid phone", query: url.Values{"phone": {"12"}}, wantStatus: http.StatusOK},
		{
			name: "overlong parameter", query: url.Values{"email": {strings.Repeat("a", 257)}},
			wantStatus: http.StatusBadRequest, wantField: "email",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, h, http.MethodGet, "/v1/customers?"+tt.query.Encode(), nil)
			got := decode(t, rec)
			if rec.Code != tt.wantStatus || got.Field != tt.wantField {
				t.Fatalf("status %d field %q, want %d %q: %s", rec.Code, got.Field, tt.wantStatus, tt.wantField, rec.Body)
			}
			if rec.Code != http.StatusOK {
				return
			}
			if got.Customers == nil {
				t.Fatalf("customers is not a list: %s", rec.Body)
			}
			if len(got.Customers) != tt.wantFound {
				t.Fatalf("found %d, want %d", len(got.Customers), tt.wantFound)
			}
			for _, raw := range got.Customers {
				var p customer.Profile
				if err := json.Unmarshal(raw, &p); err != nil {
					t.Fatal(err)
				}
				if p.CustomerID != cust || len(p.Events) != 1 {
					t.Errorf("found %s with %d events", p.CustomerID, len(p.Events))
				}
			}
		})
	}
}

// GET /v1/customers/{id} returns the profile with its timeline in the
// contract's JSON shape, and 404 for an unknown id.
func TestGetCustomer(t *testing.T) {
	t.Parallel()
	_, h := mustNode(t)
	rec := serve(t, h, http.MethodPost, "/v1/events", mustJSON(t, eventJSON("g-1", nil)))
	cust := decode(t, rec).Results[0].CustomerID

	rec = serve(t, h, http.MethodGet, "/v1/customers/"+cust, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var profile map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &profile); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"customer_id", "given_name", "family_name", "emails", "phones", "addresses", "household_id", "household", "journey_stage", "events"} {
		if _, ok := profile[field]; !ok {
			t.Errorf("profile has no %q: %s", field, rec.Body)
		}
	}
	var events []map[string]any
	if err := json.Unmarshal(profile["events"], &events); err != nil || len(events) != 1 || events[0]["id"] != "g-1" {
		t.Errorf("timeline %s (%v)", profile["events"], err)
	}

	for _, id := range []string{"C999999999", "nobody", url.PathEscape(strings.Repeat("x", 300))} {
		rec := serve(t, h, http.MethodGet, "/v1/customers/"+id, nil)
		if got := decode(t, rec); rec.Code/100 != 4 || got.Error == "" {
			t.Errorf("%.20s: status %d, error %q", id, rec.Code, got.Error)
		}
	}
	if rec := serve(t, h, http.MethodGet, "/v1/customers/C999999999", nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown id: status %d", rec.Code)
	}
}
