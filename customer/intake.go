package customer

import (
	"encoding/json"
	"errors"
	"strings"
)

// Every ingest path reads an event the same way: the hub's and the
// agent's POST /v1/events, the website snippet, phone calls and CSV rows
// (which arrive through one of those). DecodeEvent refuses fields the
// contract does not name; the path fills its own defaults and applies its
// own rules; Prepare drops the hints that do not normalise, with a warning
// each, and validates what is left. ReadEvent does all three for a path
// that receives event JSON.

// ReadEvent reads one event's JSON for recording: DecodeEvent, then
// complete (the path's defaults and rules; nil for none), then Prepare
// in the region regionOf gives for the event's source (nil for
// DefaultRegion). The event is returned even when rejected, for its id.
func ReadEvent(raw json.RawMessage, complete func(*Event) *FieldError, regionOf func(source string) string) (Event, []Warning, *FieldError) {
	e, fe := DecodeEvent(raw)
	if fe == nil && complete != nil {
		fe = complete(&e)
	}
	if fe != nil {
		return e, nil, fe
	}
	region := DefaultRegion
	if regionOf != nil {
		region = regionOf(e.Source)
	}
	warnings, err := e.Prepare(region)
	if err != nil {
		return e, nil, AsFieldError(err)
	}
	return e, warnings, nil
}

// Prepare readies an event for recording. Each identity hint that does
// not normalise is dropped from the event with a warning: an e-mail that
// is not an address, a phone number that libphonenumber does not call
// valid (read as a number of the hint's address country, else of region,
// when written without a country code), a blank customer_id or web_id.
// The event is then validated; one left without any hint is rejected
// (field customer) with the reasons its hints were dropped, rather than
// becoming a customer no identifier can find. Preparing an event twice
// drops nothing the second time.
func (e *Event) Prepare(region string) ([]Warning, error) {
	warnings := e.Customer.dropInvalid(region)
	err := e.Validate()
	var fe *FieldError
	if errors.As(err, &fe) && fe.Field == "customer" && len(warnings) > 0 {
		return nil, &FieldError{Field: "customer", Reason: noValidHint(warnings)}
	}
	if err != nil {
		return nil, err
	}
	return warnings, nil
}

// dropInvalid clears the identity hints that do not normalise and says
// why for each, in the order of the contract's fields.
func (h *Hints) dropInvalid(region string) []Warning {
	var warnings []Warning
	drop := func(hint *string, field, reason string) {
		*hint = ""
		warnings = append(warnings, Warning{Field: "customer." + field, Reason: reason})
	}
	if h.CustomerID != "" && strings.TrimSpace(h.CustomerID) == "" {
		drop(&h.CustomerID, "customer_id", "is blank")
	}
	if h.Email != "" && NormalizeEmail(h.Email) == "" {
		drop(&h.Email, "email", "is not an email address")
	}
	if h.Phone != "" {
		if r := phoneRegion(h, region); NormalizePhone(h.Phone, r) == "" {
			drop(&h.Phone, "phone", "is not a valid phone number (read as a number of "+regionName(r)+" when it has no country code)")
		}
	}
	if h.WebID != "" && strings.TrimSpace(h.WebID) == "" {
		drop(&h.WebID, "web_id", "is blank")
	}
	return warnings
}

// noValidHint is the reason an event whose hints were all dropped is
// rejected.
func noValidHint(dropped []Warning) string {
	reasons := make([]string, len(dropped))
	for i, w := range dropped {
		reasons[i] = w.Field + " " + w.Reason
	}
	return "has no valid identity hint: " + strings.Join(reasons, "; ")
}

// regionName is how a reason names the region phones are read in.
func regionName(region string) string {
	if region == "" {
		return DefaultRegion
	}
	return strings.ToUpper(region)
}
