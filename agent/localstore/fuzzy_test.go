package localstore

import (
	"slices"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
)

// A fuzzy name search forgives typos and unfinished words, ranks exact
// words first and still needs every typed word to match.
func TestSearchNameFuzzy_ForgivesTyposAndPrefixes(t *testing.T) {
	s := mustOpen(t)
	profile := func(cust, given, family string) *customer.Profile {
		return hubProfile(cust, 1, callEvent("call-"+cust, "", given, family, 0))
	}
	mustApply(t, s, 1,
		upsert(profile("C-anna", "Anna", "Petrova")),
		upsert(profile("C-ana", "Ana", "Petrova")),
		upsert(profile("C-ivan", "Ivan", "Petrov")),
		upsert(profile("C-smith", "Anna", "Smith")),
		upsert(profile("C-jose", "José", "Núñez")),
	)
	tests := []struct {
		name string
		want []string
	}{
		{"Anna Petrova", []string{"C-anna", "C-ana"}},
		{"anna petorva", []string{"C-anna", "C-ana"}},
		{"Ann Petrova", []string{"C-anna"}},
		{"pterova", []string{"C-ana", "C-anna", "C-ivan"}},
		{"Ivan Petrov", []string{"C-ivan"}},
		{"jose nunez", []string{"C-jose"}},
		{"Smiht", []string{"C-smith"}},
		{"an smith", []string{"C-smith"}},
		{"Olga Ivanova", nil},
		{"x", nil},
		{"--", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found, err := s.SearchNameFuzzy(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if got := customerIDs(found); !slices.Equal(got, tt.want) && len(got)+len(tt.want) > 0 {
				t.Errorf("fuzzy search %q = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// Fuzzy results carry the local events recorded for the customer.
func TestSearchNameFuzzy_IncludesLocalEvents(t *testing.T) {
	s := mustOpen(t)
	mustApply(t, s, 1, upsert(annaV1()))
	mustRecord(t, s, dealerEvent("d017-td-1", "test_drive", "312-555-0142", 60))
	found, err := s.SearchNameFuzzy("Ana Petrva")
	if err != nil || len(found) != 1 {
		t.Fatalf("fuzzy search = %d profiles, %v; want Anna", len(found), err)
	}
	if got := timeline(found[0]); !slices.Equal(got, []string{"call-88120", "d017-td-1"}) {
		t.Errorf("timeline = %q, want the call and the local test drive", got)
	}
}
