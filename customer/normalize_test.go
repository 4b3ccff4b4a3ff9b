package customer

import (
	"slices"
	"testing"
)

// An email address is compared without case or spaces; a value without a
// local part or a domain is not an address.
func TestNormalizeEmail_FoldsCaseAndSpaces(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"lower case kept", "anna@example.com", "anna@example.com"},
		{"upper case folded", "Anna.Petrova@Example.COM", "anna.petrova@example.com"},
		{"surrounding spaces", "  anna@example.com\t", "anna@example.com"},
		{"inner spaces", "anna @ example.com", "anna@example.com"},
		{"plus tag kept", "Anna+cars@example.com", "anna+cars@example.com"},
		{"empty", "", ""},
		{"spaces only", "   ", ""},
		{"no at sign", "anna.example.com", ""},
		{"no local part", "@example.com", ""},
		{"no domain", "anna@", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeEmail(tt.in); got != tt.want {
				t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// A US number reads as the same E.164 number however it is written.
func TestNormalizePhone_AcceptsUSFormats(t *testing.T) {
	const want = "+13125550142"
	for _, in := range []string{
		"(312) 555-0142",
		"312-555-0142",
		"+1 312 555 0142",
		"312.555.0142",
		"3125550142",
		"1 312 555 0142",
		"+1 (312) 555-0142",
		" 312 555 0142 ",
	} {
		t.Run(in, func(t *testing.T) {
			if got := NormalizePhone(in, "US"); got != want {
				t.Errorf("NormalizePhone(%q, US) = %q, want %q", in, got, want)
			}
		})
	}
}

// A number without a country code is read as a number of the region given,
// US when none is; a number with a country code ignores the region.
func TestNormalizePhone_ReadsNumbersOfRegion(t *testing.T) {
	tests := []struct {
		name, in, region, want string
	}{
		{"default region is US", "312-555-0142", "", "+13125550142"},
		{"UK national number", "020 7946 0958", "GB", "+442079460958"},
		{"region is case-insensitive", "020 7946 0958", "gb", "+442079460958"},
		{"German national number", "030 1234567", "DE", "+49301234567"},
		{"international number ignores region", "+44 20 7946 0958", "US", "+442079460958"},
		{"US number in the UK needs its code", "312-555-0142", "GB", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizePhone(tt.in, tt.region); got != tt.want {
				t.Errorf("NormalizePhone(%q, %q) = %q, want %q", tt.in, tt.region, got, tt.want)
			}
		})
	}
}

// A value that is not a valid phone number normalises to "".
func TestNormalizePhone_RejectsInvalidNumbers(t *testing.T) {
	for _, in := range []string{
		"",
		"   ",
		"call me",
		"12345",
		"555-0142",         // no area code
		"+1 312 555 01422", // one digit too many
		"+999 1234567",     // no such country code
		"(000) 555-0142",   // no such area code
	} {
		t.Run(in, func(t *testing.T) {
			if got := NormalizePhone(in, "US"); got != "" {
				t.Errorf("NormalizePhone(%q, US) = %q, want \"\"", in, got)
			}
		})
	}
}

// Names compare without case, diacritics or punctuation, words separated
// by single spaces.
func TestFoldName_FoldsCaseDiacriticsAndPunctuation(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"case", "Anna PETROVA", "anna petrova"},
		{"diacritics", "Zoë Ångström-Müller", "zoe angstrom muller"},
		{"combining mark", "Jose\u0301", "jose"},
		{"apostrophe and hyphen", "O'Brien-Smith", "o brien smith"},
		{"comma and dot", "Petrov, Jr.", "petrov jr"},
		{"extra spaces", "  Anna \t  Petrova  ", "anna petrova"},
		{"cyrillic", "Анна Петрова", "анна петрова"},
		{"letter without decomposition kept", "Straße", "straße"},
		{"digits kept", "Ivan 2nd", "ivan 2nd"},
		{"punctuation only", "-- . --", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FoldName(tt.in); got != tt.want {
				t.Errorf("FoldName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// A person's name tokens are the folded words of both names.
func TestNameTokens_SplitsFoldedNames(t *testing.T) {
	got := NameTokens("Anna-Maria", "PETRÓVA")
	if want := []string{"anna", "maria", "petrova"}; !slices.Equal(got, want) {
		t.Errorf("NameTokens = %q, want %q", got, want)
	}
	if got := NameTokens("", ""); len(got) != 0 {
		t.Errorf("NameTokens of no names = %q, want none", got)
	}
}
