package customer

import (
	"slices"
	"testing"
)

// Each deterministic hint yields one normalised identifier; names,
// addresses and birth dates yield none.
func TestHintsIdentifiers_NormalisesEachHint(t *testing.T) {
	h := Hints{
		CustomerID: "  C-42 ",
		Email:      " Anna.Petrova@Example.com",
		Phone:      "(312) 555-0142",
		WebID:      " w-5521 ",
		GivenName:  "Anna",
		FamilyName: "Petrova",
		BirthDate:  "1990-05-17",
	}
	want := []Identifier{"cid:C-42", "email:anna.petrova@example.com", "phone:+13125550142", "web:w-5521"}
	if got := h.Identifiers("US"); !slices.Equal(got, want) {
		t.Errorf("Identifiers = %q, want %q", got, want)
	}
}

// A hint that does not normalise yields no identifier.
func TestHintsIdentifiers_SkipsHintsThatDoNotNormalise(t *testing.T) {
	h := Hints{Email: "anna@", Phone: "12345", WebID: "  ", GivenName: "Anna"}
	if got := h.Identifiers("US"); len(got) != 0 {
		t.Errorf("Identifiers = %q, want none", got)
	}
}

// A phone number is read as a number of the hint's own address country
// (a two-letter code) before the region the caller gives.
func TestHintsIdentifiers_UsesAddressCountryAsPhoneRegion(t *testing.T) {
	tests := []struct {
		name    string
		address *Address
		region  string
		want    []Identifier
	}{
		{"no address uses region", nil, "GB", []Identifier{"phone:+442079460958"}},
		{"address country wins over region", &Address{Country: "GB"}, "US", []Identifier{"phone:+442079460958"}},
		{"lower-case country", &Address{Country: "gb"}, "US", []Identifier{"phone:+442079460958"}},
		{"address without country uses region", &Address{City: "London"}, "GB", []Identifier{"phone:+442079460958"}},
		{"three-letter country is ignored", &Address{Country: "GBR"}, "US", nil},
		{"country where the number is not valid", &Address{Country: "US"}, "GB", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := Hints{Phone: "020 7946 0958", Address: tt.address}
			if got := h.Identifiers(tt.region); !slices.Equal(got, tt.want) {
				t.Errorf("Identifiers(%q) = %q, want %q", tt.region, got, tt.want)
			}
		})
	}
}

// An identifier is written kind:value and splits at the first colon.
func TestIdentifier_SplitsKindAndValue(t *testing.T) {
	id := NewIdentifier(KindWebID, "w:5521")
	if id != "web:w:5521" || id.Kind() != KindWebID || id.Value() != "w:5521" {
		t.Errorf("identifier %q has kind %q and value %q", id, id.Kind(), id.Value())
	}
}

// A staff search normalises its terms exactly as events' hints are.
func TestQueryIdentifiers_NormalisesLikeHints(t *testing.T) {
	got := QueryIdentifiers("ANNA.PETROVA@example.com ", "312.555.0142", "", "US")
	want := []Identifier{"email:anna.petrova@example.com", "phone:+13125550142"}
	if !slices.Equal(got, want) {
		t.Errorf("QueryIdentifiers = %q, want %q", got, want)
	}
}
