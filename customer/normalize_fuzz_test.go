package customer

import (
	"regexp"
	"testing"
	"unicode/utf8"
)

// e164 is E.164 as libphonenumber formats it: a plus, a country code
// and digits. Its metadata allows some national numbers longer than the
// 15 digits of the standard (a German "+4920100000000000" is valid).
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{2,17}$`)

// Any phone text normalises without panicking to "" or an E.164 number
// that normalises to itself, in any region.
func FuzzNormalizePhone(f *testing.F) {
	for _, seed := range [][2]string{
		{"(312) 555-0142", "US"}, {"+44 20 7946 0958", "US"}, {"030 901820", "DE"},
		{"+1 312 555 0142 ext. 12", ""}, {"555", "US"}, {"++--()", "ZZ"}, {"\x00١٢٣", "EG"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, s, region string) {
		if len(s) > 256 || len(region) > 8 {
			t.Skip() // events cap field lengths well below this
		}
		got := NormalizePhone(s, region)
		if got == "" {
			return
		}
		if !e164.MatchString(got) {
			t.Fatalf("NormalizePhone(%q, %q) = %q, not E.164", s, region, got)
		}
		if again := NormalizePhone(got, "US"); again != got {
			t.Fatalf("NormalizePhone(%q) = %q, not stable (from %q, %q)", got, again, s, region)
		}
	})
}

// Any address normalises without panicking, idempotently, to valid
// UTF-8; a household key is empty or joins two non-empty parts.
func FuzzNormalizeAddress(f *testing.F) {
	for _, seed := range [][2]string{
		{"1420 W. Elm Street", "60614"}, {"  Straße 5, Apartment 3 ", "10115 "}, {"", "SW1A 1AA"},
		{"Rue de l'Église", ""}, {"\xff\xfe", "\x00"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, line, postal string) {
		street, pc := NormalizeStreet(line), NormalizePostalCode(postal)
		if NormalizeStreet(street) != street || NormalizePostalCode(pc) != pc {
			t.Fatalf("normalising %q, %q twice changes it: %q, %q", line, postal, street, pc)
		}
		if utf8.ValidString(line) && !utf8.ValidString(street) {
			t.Fatalf("NormalizeStreet(%q) = %q, not UTF-8", line, street)
		}
		a := Address{Line1: line, PostalCode: postal}
		key := a.HouseholdKey()
		if (key == "") != (street == "" || pc == "") {
			t.Fatalf("household key %q for street %q and postal code %q", key, street, pc)
		}
	})
}
