package customer

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

// Prepare drops each identity hint that does not normalise, with a
// warning naming the field and why, and keeps the rest of the event; an
// event left without any hint is rejected against customer, saying which
// hints were dropped and why.
func TestPrepare_DropsHintsThatDoNotNormalise(t *testing.T) {
	tests := []struct {
		name     string
		hints    Hints
		region   string
		warnings []string // field: reason prefix
		reject   string   // reason prefix of a customer rejection
		kept     Hints
	}{
		{
			name: "all hints valid", hints: Hints{Email: "Anna@Example.com", Phone: "(312) 555-0142"}, region: "US",
			kept: Hints{Email: "Anna@Example.com", Phone: "(312) 555-0142"},
		},
		{
			name: "phone that is words", hints: Hints{Email: "anna@example.com", Phone: "call me"}, region: "US",
			warnings: []string{"customer.phone: is not a valid phone number (read as a number of US when it has no country code)"},
			kept:     Hints{Email: "anna@example.com"},
		},
		{
			name: "e-mail without @", hints: Hints{Email: "anna.example.com", WebID: "w-1"}, region: "US",
			warnings: []string{"customer.email: is not an email address"},
			kept:     Hints{WebID: "w-1"},
		},
		{
			name: "national number of another country", hints: Hints{Phone: "030 1234567", GivenName: "Jonas"}, region: "US",
			warnings: []string{"customer.phone: is not a valid phone number (read as a number of US"},
			kept:     Hints{GivenName: "Jonas"},
		},
		{
			name: "national number of the region", hints: Hints{Phone: "030 1234567"}, region: "DE",
			kept: Hints{Phone: "030 1234567"},
		},
		{
			name: "the address country comes before the region", hints: Hints{Phone: "030 1234567", Address: &Address{Country: "DE"}}, region: "US",
			kept: Hints{Phone: "030 1234567", Address: &Address{Country: "DE"}},
		},
		{
			name: "blank ids", hints: Hints{CustomerID: "  ", WebID: "\t", Email: "a@example.com"}, region: "US",
			warnings: []string{"customer.customer_id: is blank", "customer.web_id: is blank"},
			kept:     Hints{Email: "a@example.com"},
		},
		{
			name: "only hint invalid", hints: Hints{Phone: "call me"}, region: "US",
			reject: "has no valid identity hint: customer.phone is not a valid phone number",
		},
		{
			name: "every hint invalid", hints: Hints{Phone: "n/a", Email: "none"}, region: "DE",
			reject: "has no valid identity hint: customer.email is not an email address; customer.phone is not a valid phone number (read as a number of DE",
		},
		{
			name: "a name is a hint", hints: Hints{Phone: "call me", FamilyName: "Petrova"}, region: "US",
			warnings: []string{"customer.phone: is not a valid phone number"},
			kept:     Hints{FamilyName: "Petrova"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEvent()
			e.Customer = tt.hints
			warnings, err := e.Prepare(tt.region)
			if tt.reject != "" {
				var fe *FieldError
				if !errors.As(err, &fe) || fe.Field != "customer" || !strings.HasPrefix(fe.Reason, tt.reject) || warnings != nil {
					t.Fatalf("Prepare = %v, %v; want a customer rejection %q", warnings, err, tt.reject)
				}
				return
			}
			if err != nil {
				t.Fatalf("Prepare = %v", err)
			}
			if len(warnings) != len(tt.warnings) {
				t.Fatalf("warnings %+v, want %q", warnings, tt.warnings)
			}
			for i, w := range warnings {
				if got := w.Field + ": " + w.Reason; !strings.HasPrefix(got, tt.warnings[i]) {
					t.Errorf("warning %q, want %q", got, tt.warnings[i])
				}
			}
			if got, want := mustJSON(t, e.Customer), mustJSON(t, tt.kept); got != want {
				t.Errorf("hints kept %s, want %s", got, want)
			}
			if again, err := e.Prepare(tt.region); err != nil || len(again) != 0 {
				t.Errorf("preparing again = %v, %v; want nothing dropped", again, err)
			}
		})
	}
}

// Prepare still rejects what Validate rejects, naming the field.
func TestPrepare_RejectsInvalidEvents(t *testing.T) {
	e := validEvent()
	e.Channel = "fax"
	e.Customer.Phone = "call me"
	var fe *FieldError
	if _, err := e.Prepare("US"); !errors.As(err, &fe) || fe.Field != "channel" {
		t.Errorf("Prepare = %v, want a channel rejection", err)
	}
}

// ReadEvent decodes strictly, lets the path complete the event, and
// prepares it in the region of its source.
func TestReadEvent_DecodesCompletesAndPrepares(t *testing.T) {
	complete := func(e *Event) *FieldError {
		if e.Source == "" {
			e.Source = "dealer:D-017"
		}
		if e.Type == "purchase" {
			return &FieldError{Field: "type", Reason: "may not be recorded here"}
		}
		return nil
	}
	regionOf := func(source string) string {
		if source == "dealer:D-017" {
			return "DE"
		}
		return "US"
	}
	base := `"id": "e-1", "channel": "showroom", "type": "showroom_visit", "occurred_at": "2026-11-02T18:22:05Z"`
	tests := []struct {
		name, raw  string
		field      string   // of a rejection
		warnings   []string // fields warned about
		phone      string   // the phone hint kept
		wantSource string
	}{
		{"completed and read in the source's region", `{` + base + `, "customer": {"phone": "030 1234567"}}`, "", nil, "030 1234567", "dealer:D-017"},
		{"another source's region", `{` + base + `, "source": "import:x", "customer": {"phone": "030 1234567", "given_name": "Jonas"}}`, "", []string{"customer.phone"}, "", "import:x"},
		{"unknown field", `{` + base + `, "customer": {"mobile": "030 1234567"}}`, "customer.mobile", nil, "", ""},
		{"the path's rule", `{"id": "e-1", "channel": "showroom", "type": "purchase", "occurred_at": "2026-11-02T18:22:05Z", "customer": {"phone": "030 1234567"}}`, "type", nil, "", ""},
		{"only hint invalid", `{` + base + `, "customer": {"phone": "call me"}}`, "customer", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, warnings, fe := ReadEvent(json.RawMessage(tt.raw), complete, regionOf)
			if tt.field != "" {
				if fe == nil || fe.Field != tt.field || fe.Reason == "" || e.ID != "e-1" {
					t.Fatalf("ReadEvent = %+v, %v; want a rejection of %s for e-1", e, fe, tt.field)
				}
				return
			}
			var fields []string
			for _, w := range warnings {
				fields = append(fields, w.Field)
			}
			if fe != nil || !slices.Equal(fields, tt.warnings) || e.Customer.Phone != tt.phone || e.Source != tt.wantSource {
				t.Errorf("ReadEvent = %+v, warnings %v, %v", e, warnings, fe)
			}
		})
	}
}
