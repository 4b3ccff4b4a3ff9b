package customer

import (
	"slices"
	"strings"
)

// placeholderEmailUsers are local parts that forms and clerks type when a
// customer gives no real address.
var placeholderEmailUsers = []string{"test", "none", "noemail", "no-email", "noreply", "no-reply", "na", "n/a", "unknown", "nomail", "donotreply", "email", "x"}

// Blocked reports whether an identifier must never join people: a
// placeholder email, a phone number of one repeated digit or a sequence,
// or a value on the configured list (a dealership's main line, say).
func Blocked(id Identifier, extra []string) bool {
	if slices.Contains(extra, string(id)) {
		return true
	}
	switch id.Kind() {
	case KindEmail:
		user, _, _ := strings.Cut(id.Value(), "@")
		return slices.Contains(placeholderEmailUsers, user)
	case KindPhone:
		return placeholderPhone(id.Value())
	}
	return false
}

// placeholderPhone spots numbers like +1 555 555 5555 or 123-456-7890
// in the subscriber part (the last seven digits).
func placeholderPhone(e164 string) bool {
	if len(e164) < 8 {
		return true
	}
	tail := e164[len(e164)-7:]
	return strings.Count(tail, tail[:1]) == len(tail) || strings.Contains("01234567890", tail) || strings.Contains("98765432109", tail)
}
