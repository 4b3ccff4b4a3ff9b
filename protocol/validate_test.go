package protocol

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// validator is a message with a Validate method.
type validator interface{ Validate() error }

// Validate accepts well-formed messages and names the field of the first broken rule.
func TestValidate(t *testing.T) {
	badEmail := samplePush()
	badEmail.Events = append(badEmail.Events, sampleEvent(), sampleEvent(), sampleEvent())
	badEmail.Events[3].Customer.Email = "ana.example.com"
	profile := sampleProfile()
	tests := []struct {
		name string
		msg  validator
		want string // the error message; empty when valid
	}{
		{"hello", sampleHello(), ""},
		{"hello enrolling", &Hello{MinVersion: 1, MaxVersion: 1}, ""},
		{"hello long secret", &Hello{Secret: strings.Repeat("s", 257)}, "secret: is longer than 256 bytes"},
		{"hello nul", &Hello{AgentID: "a\x00"}, "agent_id: contains a NUL byte"},
		{"enroll", &Enroll{Token: "tok", Hostname: "desk"}, ""},
		{"enroll no token", &Enroll{}, "token: is required"},
		{"enroll long token", &Enroll{Token: strings.Repeat("t", 257)}, "token: is longer than 256 bytes"},
		{"push", samplePush(), ""},
		{"push empty", &Push{Seq: 1}, ""},
		{"push bad event", badEmail, "events[3]: customer.email: is not an email address"},
		{"push too big", &Push{Events: make([]customer.Event, MaxBatch+1)}, "events: has 1001 entries, at most 1000 allowed"},
		{"changes", sampleMessages()[TypeChanges].(*Changes), ""},
		{"changes too big", &Changes{Changes: make([]Change, MaxBatch+1)}, "changes: has 1001 entries, at most 1000 allowed"},
		{"change without id", &Changes{Changes: []Change{{MergedInto: "cus_1"}}}, "changes[0].customer_id: is required"},
		{"change both", &Changes{Changes: []Change{{CustomerID: "cus_1", Profile: &profile, MergedInto: "cus_2"}}}, "changes[0]: has both a profile and merged_into"},
		{"change other profile", &Changes{Changes: []Change{{CustomerID: "cus_9", Profile: &profile}}}, "changes[0].profile.customer_id: does not match the change"},
		{"lookup", &Lookup{Phone: "+351912345678"}, ""},
		{"lookup none", &Lookup{}, "lookup: must set exactly one field, has 0"},
		{"lookup two", &Lookup{Email: "a@b", Name: "Ana"}, "lookup: must set exactly one field, has 2"},
		{"lookup long", &Lookup{Name: strings.Repeat("n", 257)}, "name: is longer than 256 bytes"},
		{"candidates", &CandidatesRequest{Limit: 20}, ""},
		{"candidates too many", &CandidatesRequest{Limit: 51}, "limit: must be between 0 and 50"},
		{"decide", &Decide{ID: "C1~C2", Staff: "jo"}, ""},
		{"decide no id", &Decide{Staff: "jo"}, "id: is required"},
		{"decide no staff", &Decide{ID: "C1~C2"}, "staff: is required"},
		{"decide long id", &Decide{ID: strings.Repeat("c", 65), Staff: "jo"}, "id: is longer than 64 bytes"},
		{"status", sampleMessages()[TypeStatus].(*Status), ""},
		{"status negative", &Status{OldestUnsent: -1}, "oldest_unsent: is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.msg.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v does not match ErrInvalid", err)
			}
		})
	}
}

// A bad event's error keeps the customer package's FieldError reachable.
func TestPushValidate_WrapsFieldError(t *testing.T) {
	p := samplePush()
	p.Events[0].Channel = "fax"
	err := p.Validate()
	var fe *customer.FieldError
	if !errors.As(err, &fe) || fe.Field != "channel" || !errors.Is(err, customer.ErrInvalid) {
		t.Fatalf("err = %v, want a wrapped *customer.FieldError for channel", err)
	}
}

// Push.Validate normalises event times to UTC, as customer.Event.Validate does.
func TestPushValidate_NormalisesTime(t *testing.T) {
	p := samplePush()
	p.Events[0].OccurredAt = goldenTime.In(time.FixedZone("CET", 3600))
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Events[0].OccurredAt != goldenTime {
		t.Fatalf("time = %v, want %v", p.Events[0].OccurredAt, goldenTime)
	}
}
