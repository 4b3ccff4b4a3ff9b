package customer

import (
	"encoding/json"
	"slices"
	"testing"
)

// annaEvents is Anna's history as the sources wrote it, out of order.
func annaEvents() []Event {
	return []Event{
		{ID: "d017-td-3302", Channel: "showroom", Type: "test_drive", OccurredAt: at(90), Source: "dealer:D-017",
			Customer: Hints{Phone: "312.555.0142", GivenName: "Anna", FamilyName: "Petrova"},
			Vehicle:  &Vehicle{Model: "ZOT 12", VIN: "1ZT12H7K2T0099887"}},
		{ID: "w-5521-001", Channel: "web", Type: "page_view", OccurredAt: at(0), Source: "web:zot.example",
			Customer: Hints{WebID: "w-5521"}, Vehicle: &Vehicle{Model: "ZOT 12"}},
		{ID: "call-88120", Channel: "phone", Type: "call_inbound", OccurredAt: at(30), Source: "phone:1-800-ZOT",
			Customer: Hints{Phone: "(312) 555-0142", GivenName: "Ann", FamilyName: "Petrov"}},
		{ID: "w-5521-003", Channel: "web", Type: "brochure_requested", OccurredAt: at(10), Source: "web:zot.example",
			Customer: Hints{WebID: "w-5521", Email: "Anna.Petrova@example.com ", GivenName: "Anna", FamilyName: "Petrova",
				Address: &Address{Line1: "77 W Division St", City: "Chicago", PostalCode: "60610", Country: "US"}}},
		{ID: "w-5521-002", Channel: "web", Type: "configurator_saved", OccurredAt: at(10), Source: "web:zot.example",
			Customer: Hints{WebID: "w-5521"}, Vehicle: &Vehicle{Model: "ZOT 12"}},
		{ID: "d017-v-3301", Channel: "showroom", Type: "showroom_visit", OccurredAt: at(60), Source: "dealer:D-017",
			Customer: Hints{Email: "anna.petrova@EXAMPLE.com", Phone: "+1 312 555 0142"}},
	}
}

func eventIDs(events []Event) []string {
	ids := make([]string, len(events))
	for i := range events {
		ids[i] = events[i].ID
	}
	return ids
}

// The timeline is sorted by occurred_at, then id, whatever order the
// events arrive in, and the caller's slice is left as it was.
func TestBuildProfile_OrdersTimelineByTimeThenID(t *testing.T) {
	events := annaEvents()
	before := eventIDs(events)
	p := BuildProfile("C-1", events, "US")
	want := []string{"w-5521-001", "w-5521-002", "w-5521-003", "call-88120", "d017-v-3301", "d017-td-3302"}
	if got := eventIDs(p.Events); !slices.Equal(got, want) {
		t.Errorf("timeline = %q, want %q", got, want)
	}
	if got := eventIDs(events); !slices.Equal(got, before) {
		t.Errorf("BuildProfile reordered its input to %q", got)
	}
}

// Replaying the same events in any order yields the same profile.
func TestBuildProfile_IsDeterministic(t *testing.T) {
	events := annaEvents()
	want := mustJSON(t, BuildProfile("C-1", events, "US"))
	slices.Reverse(events)
	if got := mustJSON(t, BuildProfile("C-1", events, "US")); got != want {
		t.Errorf("profile of reversed events differs:\n got %s\nwant %s", got, want)
	}
}

// Names come from the latest event that carries a name; events without
// names leave them alone.
func TestBuildProfile_TakesNamesFromLatestEvent(t *testing.T) {
	p := BuildProfile("C-1", annaEvents(), "US")
	if p.GivenName != "Anna" || p.FamilyName != "Petrova" {
		t.Errorf("names = %q %q, want Anna Petrova (from d017-td-3302)", p.GivenName, p.FamilyName)
	}
	if want := []string{"anna", "petrova"}; !slices.Equal(p.NameTokens, want) {
		t.Errorf("NameTokens = %q, want %q", p.NameTokens, want)
	}
	events := annaEvents()[1:] // without the test drive the call is the latest named event
	if p := BuildProfile("C-1", events, "US"); p.GivenName != "Ann" || p.FamilyName != "Petrov" {
		t.Errorf("names = %q %q, want Ann Petrov (from call-88120)", p.GivenName, p.FamilyName)
	}
}

// Emails, phones and web ids are kept once each in normalised form, in the
// order the timeline first shows them.
func TestBuildProfile_DedupesIdentifiers(t *testing.T) {
	p := BuildProfile("C-1", annaEvents(), "US")
	checks := []struct {
		name      string
		got, want []string
	}{
		{"emails", p.Emails, []string{"anna.petrova@example.com"}},
		{"phones", p.Phones, []string{"+13125550142"}},
		{"web_ids", p.WebIDs, []string{"w-5521"}},
		{"identifiers", p.Identifiers, []string{"web:w-5521", "email:anna.petrova@example.com", "phone:+13125550142"}},
		{"channels", p.Channels, []string{"web", "phone", "showroom"}},
		{"sources", p.Sources, []string{"web:zot.example", "phone:1-800-ZOT", "dealer:D-017"}},
		{"dealers", p.Dealers, []string{"D-017"}},
		{"postal codes", p.PostalCodes, []string{"60610"}},
	}
	for _, c := range checks {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if len(p.Addresses) != 1 {
		t.Errorf("addresses = %+v, want one", p.Addresses)
	}
}

// A vehicle is kept once per VIN, taking the latest known year; a vehicle
// without a VIN is interest in a model, kept once per model.
func TestBuildProfile_DedupesVehiclesByVIN(t *testing.T) {
	events := []Event{
		{ID: "1", OccurredAt: at(0), Vehicle: &Vehicle{Model: "ZOT 5", VIN: "VIN5", Year: 2014}},
		{ID: "2", OccurredAt: at(1), Vehicle: &Vehicle{Model: "ZOT 5 Touring", VIN: "VIN5", Year: 2015}},
		{ID: "3", OccurredAt: at(2), Vehicle: &Vehicle{Model: "ZOT 5", VIN: "VIN5"}},
		{ID: "4", OccurredAt: at(3), Vehicle: &Vehicle{Model: "ZOT 12"}},
		{ID: "5", OccurredAt: at(4), Vehicle: &Vehicle{Model: "ZOT 12"}},
		{ID: "6", OccurredAt: at(5), Vehicle: &Vehicle{Model: "ZOT 12", VIN: "VIN12"}},
		{ID: "7", OccurredAt: at(6), Vehicle: &Vehicle{}},
	}
	p := BuildProfile("C-1", events, "US")
	want := []Vehicle{
		{Model: "ZOT 5", VIN: "VIN5", Year: 2015},
		{Model: "ZOT 12"},
		{Model: "ZOT 12", VIN: "VIN12"},
	}
	if !slices.Equal(p.Vehicles, want) {
		t.Errorf("vehicles = %+v, want %+v", p.Vehicles, want)
	}
	if !slices.Equal(p.Household.Members, []string{"C-1"}) || p.HouseholdID != "C-1" {
		t.Errorf("household %q = %+v, want C-1 alone", p.HouseholdID, p.Household)
	}
}

// The profile's journey stage is the furthest its events show.
func TestBuildProfile_SetsJourneyStage(t *testing.T) {
	if p := BuildProfile("C-1", annaEvents(), "US"); p.JourneyStage != "evaluation" {
		t.Errorf("journey_stage = %q, want evaluation", p.JourneyStage)
	}
}

// Every list in a profile's JSON is [] when empty, never null.
func TestBuildProfile_EncodesEmptyListsAsArrays(t *testing.T) {
	for _, tt := range []struct {
		name   string
		events []Event
	}{
		{"no events", nil},
		{"one event with a name only", []Event{{ID: "1", OccurredAt: at(0), Customer: Hints{GivenName: "Anna"}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal([]byte(mustJSON(t, BuildProfile("C-1", tt.events, "US"))), &doc); err != nil {
				t.Fatal(err)
			}
			household, _ := doc["household"].(map[string]any)
			lists := map[string]any{
				"emails": doc["emails"], "phones": doc["phones"], "web_ids": doc["web_ids"],
				"addresses": doc["addresses"], "vehicles": doc["vehicles"], "channels": doc["channels"],
				"sources": doc["sources"], "events": doc["events"], "identifiers": doc["identifiers"],
				"household.members": household["members"], "household.vehicles": household["vehicles"],
			}
			for _, name := range sortedKeys(lists) {
				if _, ok := lists[name].([]any); !ok {
					t.Errorf("%s = %v, want a JSON array", name, lists[name])
				}
			}
			if doc["journey_stage"] != "awareness" {
				t.Errorf("journey_stage = %v, want awareness", doc["journey_stage"])
			}
		})
	}
}

// The stage is the furthest any event shows; unknown types show nothing,
// and a customer with no known events is at awareness.
func TestStageOf_IsFurthestStageShown(t *testing.T) {
	typed := func(types ...string) []Event {
		events := make([]Event, len(types))
		for i, ty := range types {
			events[i].Type = ty
		}
		return events
	}
	tests := []struct {
		name   string
		events []Event
		want   string
	}{
		{"no events", nil, "awareness"},
		{"unknown types only", typed("contact_updated", "consent_changed"), "awareness"},
		{"page view", typed("page_view"), "awareness"},
		{"configurator", typed("page_view", "configurator_saved"), "search"},
		{"test drive", typed("call_inbound", "test_drive"), "evaluation"},
		{"purchase then page view", typed("purchase", "page_view"), "purchase"},
		{"delivery", typed("delivery"), "onboarding"},
		{"service visit", typed("service_visit"), "usage"},
		{"survey", typed("survey"), "loyalty"},
		{"referral among others", typed("quote", "referral", "service_visit"), "advocacy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StageOf(tt.events); got != tt.want {
				t.Errorf("StageOf = %q, want %q", got, tt.want)
			}
		})
	}
}

// Every known event type maps to a stage in Stages.
func TestStageOf_KnownTypesMapToStages(t *testing.T) {
	for ty, stage := range stageOfType {
		if stage < 0 || stage >= len(Stages) {
			t.Errorf("type %q maps to stage %d, outside Stages", ty, stage)
		}
	}
}

// A dealer source names its dealer; other sources name none.
func TestDealerOf_ReadsDealerSources(t *testing.T) {
	tests := []struct {
		source, dealer string
		ok             bool
	}{
		{"dealer:D-017", "D-017", true},
		{"dealer:", "", false},
		{"web:zot.example", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if dealer, ok := DealerOf(tt.source); dealer != tt.dealer || ok != tt.ok {
			t.Errorf("DealerOf(%q) = %q, %v, want %q, %v", tt.source, dealer, ok, tt.dealer, tt.ok)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode %T: %v", v, err)
	}
	return string(b)
}
