package customer

import (
	"slices"
	"strings"
	"testing"
)

// Real numbers are never blocked by their digit pattern: valid numbers of
// several countries whose digits run in sequence, up or down, or partly
// repeat join people like any other, written any way their owners write
// them. The US 555-01xx numbers all the project's test data uses are
// ordinary numbers too.
func TestBlocked_ValidNumbersWithPatternsJoin(t *testing.T) {
	tests := []struct {
		name, written, region, e164 string
	}{
		{"US ascending", "(212) 345-6789", "US", "+12123456789"},
		{"US descending", "212.987.6543", "US", "+12129876543"},
		{"US ascending from the area code", "+1 234 567 8901", "DE", "+12345678901"},
		{"US subscriber of one repeated digit", "312-555-5555", "US", "+13125555555"},
		{"US test data", "+1 312 555 0142", "US", "+13125550142"},
		{"US test data, national", "(312) 555-0199", "US", "+13125550199"},
		{"DE Berlin ascending", "030 1234567", "DE", "+49301234567"},
		{"DE Berlin ascending, eight digits", "030 12345678", "DE", "+493012345678"},
		{"DE Munich ascending", "+49 89 1234567", "US", "+49891234567"},
		{"DE mobile ascending", "0151 23456789", "DE", "+4915123456789"},
		{"GB London ascending", "020 1234 5678", "GB", "+442012345678"},
		{"GB London descending", "020 7987 6543", "GB", "+442079876543"},
		{"GB geographic 1234 567890", "01234 567890", "GB", "+441234567890"},
		{"GB mobile ascending", "+44 7912 345678", "US", "+447912345678"},
		{"FR Paris ascending", "01 23 45 67 89", "FR", "+33123456789"},
		{"FR mobile ascending", "06 12 34 56 78", "FR", "+33612345678"},
		{"FR descending", "09 87 65 43 21", "FR", "+33987654321"},
		{"FR mobile ending in zeros", "06 00 00 00 00", "FR", "+33600000000"},
		{"PL ascending", "123 456 789", "PL", "+48123456789"},
		{"PL mobile ascending", "512 345 678", "PL", "+48512345678"},
		{"PL mobile 601 234 567", "+48 601 234 567", "US", "+48601234567"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := Hints{Phone: tt.written}
			ids := h.Identifiers(tt.region)
			if want := NewIdentifier(KindPhone, tt.e164); !slices.Equal(ids, []Identifier{want}) {
				t.Fatalf("Identifiers(%q in %s) = %q, want %s", tt.written, tt.region, ids, want)
			}
			if Placeholder(ids[0]) || Blocked(ids[0], nil) {
				t.Errorf("%s is blocked, but it is a valid number", ids[0])
			}
		})
	}
}

// Placeholders stay blocked: numbers libphonenumber does not call valid,
// numbers whose national number is one repeated digit (valid or not),
// values that are not numbers in E.164, and placeholder e-mail users.
func TestBlocked_PlaceholdersStayBlocked(t *testing.T) {
	tests := []struct {
		name string
		id   Identifier
	}{
		{"US 555-555-5555", "phone:+15555555555"},
		{"US 000-000-0000", "phone:+10000000000"},
		{"US 222-222-2222", "phone:+12222222222"},
		{"DE one repeated digit, valid", "phone:+493333333333"},
		{"DE short repeated digit, valid", "phone:+4922222222"},
		{"GB mobile of sevens, valid", "phone:+447777777777"},
		{"FR mobile of sixes, valid", "phone:+33666666666"},
		{"FR ones, valid", "phone:+33111111111"},
		{"PL twos, valid", "phone:+48222222222"},
		{"PL fives, valid", "phone:+48555555555"},
		{"US invalid exchange 123", "phone:+13121234567"},
		{"US invalid 650 123", "phone:+16501234567"},
		{"US invalid area code 987", "phone:+19876543210"},
		{"GB invalid 1111", "phone:+441111111111"},
		{"PL invalid 987", "phone:+48987654321"},
		{"too short", "phone:+1555"},
		{"not E.164", "phone:3125550142"},
		{"formatted, not normalised", "phone:+1 312 555 0142"},
		{"empty", "phone:"},
		{"test e-mail", "email:test@example.com"},
		{"noreply e-mail", "email:noreply@dealer.example"},
		{"n/a e-mail", "email:n/a@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !Placeholder(tt.id) || !Blocked(tt.id, nil) {
				t.Errorf("%s is not blocked, but it is a placeholder", tt.id)
			}
		})
	}
	for _, id := range []Identifier{"email:anna.petrova@example.com", "cid:C-1", "web:w-5521"} {
		if Blocked(id, nil) {
			t.Errorf("%s is blocked, but it is an ordinary identifier", id)
		}
	}
}

// A configured list blocks its values in any written form: national or
// international phone numbers, e-mails in any case, normalised or not.
func TestBlocked_ConfiguredValuesInAnyForm(t *testing.T) {
	tests := []struct {
		name    string
		entry   string
		id      Identifier
		blocked bool
	}{
		{"E.164 as the hub stores it", "phone:+13125550100", "phone:+13125550100", true},
		{"national US number", "phone:(312) 555-0100", "phone:+13125550100", true},
		{"international with spaces", "phone:+1 312 555 0100", "phone:+13125550100", true},
		{"number without a kind", "+1 312 555 0100", "phone:+13125550100", true},
		{"national German number, compared with a German one", "phone:030 1234567", "phone:+49301234567", true},
		{"e-mail in capitals", "email:Foo@Example.COM", "email:foo@example.com", true},
		{"e-mail without a kind", " Foo@Example.COM ", "email:foo@example.com", true},
		{"customer id", "cid:C-17", "cid:C-17", true},
		{"another number", "phone:(312) 555-0100", "phone:+13125550142", false},
		{"the same digits as an e-mail", "email:3125550100@example.com", "phone:+13125550100", false},
		{"an entry that is no identifier", "phone:call me", "phone:+13125550100", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Blocked(tt.id, []string{tt.entry}); got != tt.blocked {
				t.Errorf("Blocked(%s, [%q]) = %v, want %v", tt.id, tt.entry, got, tt.blocked)
			}
		})
	}
}

// ParseIdentifier reads identifiers as people write them and normalises
// them as hints are normalised; NormalizeBlocked does so for a list,
// dropping repeats and naming the first entry that is not an identifier.
func TestParseIdentifier_NormalisesAnyWrittenForm(t *testing.T) {
	tests := []struct {
		in, region string
		want       Identifier
		wantErr    string
	}{
		{"phone:(312) 555-0100", "US", "phone:+13125550100", ""},
		{"PHONE: +1 312 555 0100", "DE", "phone:+13125550100", ""},
		{"(312) 555-0100", "US", "phone:+13125550100", ""},
		{"030 1234567", "DE", "phone:+49301234567", ""},
		{"01 23 45 67 89", "FR", "phone:+33123456789", ""},
		{"email:Foo@Example.COM", "US", "email:foo@example.com", ""},
		{"Foo@Example.COM", "US", "email:foo@example.com", ""},
		{"cid: C-17 ", "US", "cid:C-17", ""},
		{"web:w-5521", "US", "web:w-5521", ""},
		{"phone:call me", "US", "", "not a valid phone number (read as a number of US"},
		{"030 1234567", "US", "", "not a valid phone number"},
		{"email:foo.example.com", "US", "", "not an e-mail address"},
		{"cid:", "US", "", "has no value"},
		{"", "US", "", "not a valid phone number"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseIdentifier(tt.in, tt.region)
			switch {
			case tt.wantErr == "" && (err != nil || got != tt.want):
				t.Errorf("ParseIdentifier = %q, %v; want %q", got, err, tt.want)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("ParseIdentifier = %q, %v; want an error containing %q", got, err, tt.wantErr)
			}
		})
	}
	list, err := NormalizeBlocked([]string{"phone:(312) 555-0100", "+1 312 555 0100", "email:Front.Desk@Dealer.example"}, "US")
	if want := []string{"phone:+13125550100", "email:front.desk@dealer.example"}; err != nil || !slices.Equal(list, want) {
		t.Errorf("NormalizeBlocked = %q, %v; want %q", list, err, want)
	}
	if _, err := NormalizeBlocked([]string{"phone:+13125550100", "phone:555"}, "US"); err == nil || !strings.Contains(err.Error(), `"phone:555"`) {
		t.Errorf("NormalizeBlocked of a bad entry: %v, want an error naming it", err)
	}
}
