package customer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// placeholderEmailUsers are local parts that forms and clerks type when a
// customer gives no real address.
var placeholderEmailUsers = []string{"test", "none", "noemail", "no-email", "noreply", "no-reply", "na", "n/a", "unknown", "nomail", "donotreply", "email", "x"}

// Blocked reports whether an identifier must never join people: a
// placeholder (see Placeholder) or a value on the configured list blocked
// (a dealership's main line, say). The list's entries may be written in
// any form ParseIdentifier reads; the hub normalises its list once at
// start (NormalizeBlocked, in its default region), and an entry still
// written as a national number here is read in the country of the number
// it is compared with.
func Blocked(id Identifier, blocked []string) bool {
	return Placeholder(id) || onList(id, blocked)
}

// Placeholder reports whether an identifier is a value people type when
// they have none, judged from evidence rather than digit patterns: an
// e-mail whose user is a placeholder word (test@, noreply@, n/a@), a phone
// number that libphonenumber does not call valid, or one whose national
// number is one digit repeated (555-555-5555, 06 66 66 66 66). A valid
// number whose digits merely run in sequence (+1 212 345 6789) is a real
// number and joins people.
func Placeholder(id Identifier) bool {
	switch id.Kind() {
	case KindEmail:
		user, _, _ := strings.Cut(id.Value(), "@")
		return slices.Contains(placeholderEmailUsers, user)
	case KindPhone:
		return placeholderPhone(id.Value())
	}
	return false
}

// placeholderPhone reports whether e164 is not a valid number in E.164
// or its national significant number is one repeated digit.
func placeholderPhone(e164 string) bool {
	if !strings.HasPrefix(e164, "+") || NormalizePhone(e164, DefaultRegion) != e164 {
		return true // not valid, or not in E.164 (NormalizePhone is memoised)
	}
	digits := e164[1:]
	// The country code is one to three digits: only a number whose digits
	// after one of those lengths are all the same can be a repeated one,
	// and only then is it worth parsing.
	for cc := 1; cc <= 3 && cc < len(digits); cc++ {
		if rest := digits[cc:]; strings.Count(rest, rest[:1]) == len(rest) {
			num, err := phonenumbers.Parse(e164, "")
			if err != nil {
				return true
			}
			nsn := phonenumbers.GetNationalSignificantNumber(num)
			return nsn == "" || strings.Count(nsn, nsn[:1]) == len(nsn)
		}
	}
	return false
}

// onList reports whether id is one of the blocked entries, as written or
// once normalised.
func onList(id Identifier, blocked []string) bool {
	if len(blocked) == 0 {
		return false
	}
	if slices.Contains(blocked, string(id)) {
		return true
	}
	region := DefaultRegion
	if id.Kind() == KindPhone {
		region = regionOfNumber(id.Value())
	}
	for _, entry := range blocked {
		if b, err := ParseIdentifier(entry, region); err == nil && b == id {
			return true
		}
	}
	return false
}

// regionOfNumber is the country of a number in E.164, DefaultRegion when
// libphonenumber cannot tell.
func regionOfNumber(e164 string) string {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return DefaultRegion
	}
	if r := phonenumbers.GetRegionCodeForNumber(num); r != "" && r != "ZZ" {
		return r
	}
	return DefaultRegion
}

// ParseIdentifier reads an identifier as a person writes it, kind:value or
// just the value, and normalises it as an event's hints are normalised:
// "phone:(312) 555-0100" and "+1 312 555 0100" are phone:+13125550100
// (phones without a country code are numbers of region), "Foo@Example.COM"
// is email:foo@example.com. A value without a kind is an e-mail when it
// holds an @ and a phone number otherwise; customer ids and web ids need
// their kind (cid:, web:).
func ParseIdentifier(s, region string) (Identifier, error) {
	s = strings.TrimSpace(s)
	kind, value, ok := strings.Cut(s, ":")
	kind = strings.ToLower(strings.TrimSpace(kind))
	if !ok || !slices.Contains([]string{KindCustomerID, KindEmail, KindPhone, KindWebID}, kind) {
		kind, value = KindPhone, s
		if strings.Contains(s, "@") {
			kind = KindEmail
		}
	}
	var normal string
	switch kind {
	case KindEmail:
		if normal = NormalizeEmail(value); normal == "" {
			return "", fmt.Errorf("%q is not an e-mail address", s)
		}
	case KindPhone:
		if normal = NormalizePhone(value, region); normal == "" {
			return "", fmt.Errorf("%q is not a valid phone number (read as a number of %s: write +CC for another country)", s, regionName(region))
		}
	default:
		if normal = strings.TrimSpace(value); normal == "" {
			return "", fmt.Errorf("%q has no value after %s:", s, kind)
		}
	}
	return NewIdentifier(kind, normal), nil
}

// NormalizeBlocked reads a configured list of blocked identifiers, each
// in any form ParseIdentifier reads (phones without a country code as
// numbers of region), and returns them normalised and without repeats.
// The error names the first entry that is not an identifier.
func NormalizeBlocked(entries []string, region string) ([]string, error) {
	out := make([]string, 0, len(entries))
	for _, entry := range entries {
		id, err := ParseIdentifier(entry, region)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, string(id)) {
			out = append(out, string(id))
		}
	}
	return out, nil
}
