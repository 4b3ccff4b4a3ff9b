package customer

import "strings"

// addressWords maps common spellings in postal addresses to one form, so
// "1420 W. Elm Street" and "1420 W Elm St" normalise alike.
var addressWords = map[string]string{
	"street": "st", "str": "st", "avenue": "ave", "av": "ave", "road": "rd",
	"drive": "dr", "boulevard": "blvd", "place": "pl", "court": "ct",
	"lane": "ln", "crescent": "cres", "circuit": "cct", "terrace": "tce",
	"highway": "hwy", "parkway": "pkwy", "square": "sq", "apartment": "apt",
	"suite": "ste", "north": "n", "south": "s", "east": "e", "west": "w",
	"northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw",
}

// NormalizeStreet folds a street line: case, diacritics, punctuation and
// common abbreviations.
func NormalizeStreet(line string) string {
	words := strings.Fields(FoldName(line))
	for i, w := range words {
		if short, ok := addressWords[w]; ok {
			words[i] = short
		}
	}
	return strings.Join(words, " ")
}

// NormalizePostalCode strips spaces and folds case.
func NormalizePostalCode(pc string) string {
	return strings.ToUpper(strings.Join(strings.Fields(pc), ""))
}

// HouseholdKey is the normalised address that groups a household: street
// line and postal code. It is empty when either is missing.
func (a *Address) HouseholdKey() string {
	if a == nil {
		return ""
	}
	street, pc := NormalizeStreet(a.Line1), NormalizePostalCode(a.PostalCode)
	if street == "" || pc == "" {
		return ""
	}
	return street + "|" + pc
}

// NormalizeVIN folds a vehicle identification number; "" if implausible.
func NormalizeVIN(vin string) string {
	vin = strings.ToUpper(strings.Join(strings.Fields(vin), ""))
	if len(vin) < 11 || len(vin) > 17 {
		return ""
	}
	return vin
}
