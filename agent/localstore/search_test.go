package localstore

import (
	"fmt"
	"slices"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
)

// A phone search finds the cached profile however the number is written.
func TestSearch_FindsCachedProfileByPhoneWrittenDifferently(t *testing.T) {
	s := mustOpen(t)
	mustApply(t, s, 1, upsert(annaV1()))
	for _, phone := range []string{"(312) 555-0142", "312-555-0142", "+1 312 555 0142", "312.555.0142", "+13125550142"} {
		t.Run(phone, func(t *testing.T) {
			found := mustSearch(t, s, Query{Phone: phone})
			if got := customerIDs(found); !slices.Equal(got, []string{"C-anna"}) {
				t.Fatalf("search = %q, want C-anna", got)
			}
			if found[0].Provisional || !slices.Equal(timeline(found[0]), []string{"call-88120"}) {
				t.Errorf("found %+v, want the hub's profile as cached", found[0])
			}
		})
	}
}

// Email and customer-id searches are normalised like the profile's
// identifiers; a query that matches nothing finds nothing.
func TestSearch_FindsCachedProfileByEmailAndCustomerID(t *testing.T) {
	s := mustOpen(t)
	web := customer.Event{ID: "w-5521-003", Channel: "web", Type: "brochure_requested", OccurredAt: start,
		Source: "web:zot.example", Customer: customer.Hints{Email: "anna.petrova@example.com", GivenName: "Anna", FamilyName: "Petrova"}}
	mustApply(t, s, 1, upsert(hubProfile("C-anna", 1, web)))
	tests := []struct {
		q    Query
		want []string
	}{
		{Query{Email: " Anna.Petrova@EXAMPLE.com"}, []string{"C-anna"}},
		{Query{CustomerID: "C-anna"}, []string{"C-anna"}},
		{Query{Email: "anna@example.com"}, nil},
		{Query{Phone: "not a phone"}, nil},
		{Query{}, nil},
	}
	for _, tt := range tests {
		if got := customerIDs(mustSearch(t, s, tt.q)); !slices.Equal(got, tt.want) && len(got)+len(tt.want) > 0 {
			t.Errorf("search %+v = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// A local event that shares a cached profile's phone shows in that
// profile's timeline, in order, until a feed batch brings a profile that
// includes it; then it shows once.
func TestSearch_ShowsLocalEventUntilHubProfileIncludesIt(t *testing.T) {
	s := mustOpen(t)
	call := callEvent("call-88120", "(312) 555-0142", "Anna", "Petrova", 30)
	visit := dealerEvent("d017-v-3301", "showroom_visit", "+1 312 555 0142", 60)
	mustApply(t, s, 1, upsert(hubProfile("C-anna", 1, call, visit)))
	td := dealerEvent("d017-td-3302", "test_drive", "312.555.0142", 90)
	early := dealerEvent("d017-w-3300", "brochure_requested", "312-555-0142", 0)
	mustRecord(t, s, td)
	mustRecord(t, s, early)

	want := []string{"d017-w-3300", "call-88120", "d017-v-3301", "d017-td-3302"}
	found := mustSearch(t, s, Query{Phone: "312-555-0142"})
	if got := customerIDs(found); !slices.Equal(got, []string{"C-anna"}) {
		t.Fatalf("search = %q, want only C-anna (no provisional profile)", got)
	}
	anna := found[0]
	if got := timeline(anna); !slices.Equal(got, want) {
		t.Errorf("timeline with local events = %q, want %q", got, want)
	}
	if anna.JourneyStage != "evaluation" || anna.Version != 1 || anna.GivenName != "Anna" {
		t.Errorf("profile with local events: stage %q, version %d, name %q; want evaluation, 1, Anna",
			anna.JourneyStage, anna.Version, anna.GivenName)
	}
	if p, err := s.Profile("C-anna"); err != nil || !slices.Equal(timeline(p), want) {
		t.Errorf("Profile timeline = %q, %v; want %q", timeline(p), err, want)
	}

	mustApply(t, s, 2, upsert(hubProfile("C-anna", 2, call, visit, td, early)))
	for _, q := range []Query{{Phone: "312-555-0142"}, {CustomerID: "C-anna"}, {Name: "anna petrova"}} {
		found := mustSearch(t, s, q)
		if len(found) != 1 {
			t.Errorf("search %+v after the hub included the events = %q, want C-anna alone", q, customerIDs(found))
			continue
		}
		if got := timeline(found[0]); !slices.Equal(got, want) || found[0].Version != 2 {
			t.Errorf("search %+v after the hub included the events = version %d with %q; want version 2 with %q once each",
				q, found[0].Version, got, want)
		}
	}
}

// A local event naming a cached profile's customer id shows in its
// timeline even without a shared identifier.
func TestSearch_ShowsLocalEventNamingCustomerID(t *testing.T) {
	s := mustOpen(t)
	mustApply(t, s, 1, upsert(annaV1()))
	delivery := dealerEvent("d017-dl-3400", "delivery", "", 120)
	delivery.Customer = customer.Hints{CustomerID: "C-anna"}
	mustRecord(t, s, delivery)

	p, err := s.Profile("C-anna")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := timeline(p), []string{"call-88120", "d017-dl-3400"}; !slices.Equal(got, want) || p.JourneyStage != "onboarding" {
		t.Errorf("timeline = %q at stage %q, want %q at onboarding", got, p.JourneyStage, want)
	}
}

// Local events for a phone no cached profile has are joined into one
// provisional profile.
func TestSearch_LocalEventsForUnknownPhoneAreOneProvisionalProfile(t *testing.T) {
	s := mustOpen(t)
	mustApply(t, s, 1, upsert(annaV1()))
	visit := dealerEvent("d017-v-3350", "showroom_visit", "(847) 555-0161", 0)
	visit.Customer.GivenName, visit.Customer.FamilyName = "Anna", "Petrova"
	td := dealerEvent("d017-td-3351", "test_drive", "847.555.0161", 30)
	other := dealerEvent("d017-v-3360", "showroom_visit", "847-555-0199", 40)
	for _, e := range []customer.Event{visit, td, other} {
		mustRecord(t, s, e)
	}

	found := mustSearch(t, s, Query{Phone: "+1 847 555 0161"})
	if len(found) != 1 {
		t.Fatalf("search = %q, want one provisional profile", customerIDs(found))
	}
	p := found[0]
	if !p.Provisional || p.CustomerID == "C-anna" {
		t.Errorf("profile %s provisional=%v, want a provisional profile of its own", p.CustomerID, p.Provisional)
	}
	if got, want := timeline(p), []string{"d017-v-3350", "d017-td-3351"}; !slices.Equal(got, want) {
		t.Errorf("provisional timeline = %q, want %q", got, want)
	}
	if p.GivenName != "Anna" || !slices.Equal(p.Phones, []string{"+18475550161"}) || p.JourneyStage != "evaluation" {
		t.Errorf("provisional profile = %q %q %q at %q, want Anna with +18475550161 at evaluation",
			p.GivenName, p.FamilyName, p.Phones, p.JourneyStage)
	}
	if found := mustSearch(t, s, Query{Name: "Anna"}); len(found) != 1 || found[0].CustomerID != "C-anna" {
		t.Errorf("name search = %q, want only the cached C-anna", customerIDs(found))
	}
}

// A name search matches profiles holding every query word, compared
// folded: case, diacritics and punctuation do not matter; words are whole.
func TestSearch_NameMatchesAllFoldedWords(t *testing.T) {
	s := mustOpen(t)
	profile := func(cust, given, family string) *customer.Profile {
		return hubProfile(cust, 1, callEvent("call-"+cust, "", given, family, 0))
	}
	mustApply(t, s, 1,
		upsert(profile("C-anna", "Anna", "Petrova")),
		upsert(profile("C-anna2", "ANNA", "Petróva")),
		upsert(profile("C-annam", "Anna-Maria", "Petrova")),
		upsert(profile("C-ivan", "Ivan", "Petrov")),
		upsert(profile("C-smith", "Anna", "Smith")),
	)
	tests := []struct {
		name string
		want []string
	}{
		{"anna PETROVA", []string{"C-anna", "C-anna2", "C-annam"}},
		{"Petrova, Anna", []string{"C-anna", "C-anna2", "C-annam"}},
		{"maria petrova", []string{"C-annam"}},
		{"petrov", []string{"C-ivan"}},
		{"Anna Smith", []string{"C-smith"}},
		{"anna ivan", nil},
		{"ann", nil},
		{"--", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := customerIDs(mustSearch(t, s, Query{Name: tt.name}))
			slices.Sort(got)
			if !slices.Equal(got, tt.want) && len(got)+len(tt.want) > 0 {
				t.Errorf("search %q = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// A name search returns at most MaxResults profiles.
func TestSearch_NameResultsAreBounded(t *testing.T) {
	s := mustOpen(t)
	var batch []customer.Profile
	for i := range MaxResults + 5 {
		batch = append(batch, *hubProfile(fmt.Sprintf("C-%02d", i), 1, callEvent(fmt.Sprintf("call-%d", i), "", "Anna", "Petrova", 0)))
	}
	if err := s.PutProfiles(batch); err != nil {
		t.Fatal(err)
	}
	if found := mustSearch(t, s, Query{Name: "anna"}); len(found) != MaxResults {
		t.Errorf("search found %d profiles, want %d", len(found), MaxResults)
	}
}
