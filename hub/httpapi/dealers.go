package httpapi

import (
	"regexp"
	"strings"

	"github.com/touchpoint/touchpoint/hub/state"
)

var (
	dealerIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
	countryPattern  = regexp.MustCompile(`^[A-Z]{2}$`)
	marketPattern   = regexp.MustCompile(`^[A-Za-z0-9 -]{1,10}$`)
)

// validateDealer checks a dealer record, naming the field that is wrong.
func validateDealer(d *state.Dealer) *apiError {
	d.Country = strings.ToUpper(strings.TrimSpace(d.Country))
	if d.Country == "" {
		d.Country = "US"
	}
	switch {
	case !dealerIDPattern.MatchString(d.ID):
		return fieldError("id", "must be 1-64 letters, digits, - or _")
	case len(d.Name) > 128:
		return fieldError("name", "is longer than 128 bytes")
	case !countryPattern.MatchString(d.Country):
		return fieldError("country", "must be a two-letter ISO country code")
	case len(d.Market) > 100:
		return fieldError("market", "has more than 100 prefixes")
	}
	for _, m := range d.Market {
		if !marketPattern.MatchString(m) {
			return fieldError("market", "prefix "+m+" must be 1-10 letters or digits")
		}
	}
	return nil
}

func fieldError(field, reason string) *apiError {
	return &apiError{Error: field + ": " + reason, Field: field, Reason: reason}
}
