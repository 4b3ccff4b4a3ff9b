package customer

import "strings"

// Identifier kinds that join events into one person deterministically.
const (
	KindCustomerID = "cid"
	KindEmail      = "email"
	KindPhone      = "phone"
	KindWebID      = "web"
)

// Identifier is a normalised identity value, written "kind:value".
type Identifier string

// NewIdentifier builds an identifier of kind from an already normalised value.
func NewIdentifier(kind, value string) Identifier {
	return Identifier(kind + ":" + value)
}

// Kind returns the identifier's kind.
func (id Identifier) Kind() string {
	kind, _, _ := strings.Cut(string(id), ":")
	return kind
}

// Value returns the identifier's normalised value.
func (id Identifier) Value() string {
	_, value, _ := strings.Cut(string(id), ":")
	return value
}

// Identifiers returns the deterministic identifiers in an event's hints,
// reading phone numbers without a country code as numbers of region.
// Hints that do not normalise (an invalid phone, say) yield nothing.
func (h *Hints) Identifiers(region string) []Identifier {
	var ids []Identifier
	add := func(kind, value string) {
		if value != "" {
			ids = append(ids, NewIdentifier(kind, value))
		}
	}
	add(KindCustomerID, strings.TrimSpace(h.CustomerID))
	add(KindEmail, NormalizeEmail(h.Email))
	add(KindPhone, NormalizePhone(h.Phone, phoneRegion(h, region)))
	add(KindWebID, strings.TrimSpace(h.WebID))
	return ids
}

// phoneRegion prefers the country of the hint's own address.
func phoneRegion(h *Hints, region string) string {
	if h.Address != nil && len(h.Address.Country) == 2 {
		return h.Address.Country
	}
	return region
}

// QueryIdentifiers turns a staff or API search into identifiers.
func QueryIdentifiers(email, phone, customerID, region string) []Identifier {
	h := Hints{Email: email, Phone: phone, CustomerID: customerID}
	return h.Identifiers(region)
}
