package customer

import (
	"strings"

	"github.com/antzucaro/matchr"
)

// Person is the fuzzy evidence about one profile: never enough to merge
// on its own, only to propose a match candidate.
type Person struct {
	Given, Family, Street, Number, City, PostalCode, BirthDate string
}

// Evidence is one field compared between two people.
type Evidence struct {
	Field      string  `json:"field"`
	A          string  `json:"a"`
	B          string  `json:"b"`
	Similarity float64 `json:"similarity"`
}

// MaxBlockSize bounds the people compared under one blocking key; a
// bigger block (a common name, a big postcode) is skipped for that key.
const MaxBlockSize = 200

// CandidateThreshold is the score from which two people are proposed as a
// match candidate. Tuned on the Febrl data: see febrl_test.go.
const CandidateThreshold = 0.67

// PersonOf folds a profile's names, first address and birth date.
func PersonOf(p *Profile) Person {
	out := Person{Given: FoldName(p.GivenName), Family: FoldName(p.FamilyName), BirthDate: digits(p.BirthDate)}
	if len(p.Addresses) > 0 {
		a := p.Addresses[0]
		out.Number, out.Street = splitStreetNumber(NormalizeStreet(a.Line1))
		out.City, out.PostalCode = FoldName(a.City), NormalizePostalCode(a.PostalCode)
	}
	return out
}

// Empty reports whether there is too little to compare: a name is needed.
func (p Person) Empty() bool { return p.Given == "" && p.Family == "" }

func splitStreetNumber(street string) (number, rest string) {
	first, tail, ok := strings.Cut(street, " ")
	if ok && first != "" && strings.IndexFunc(first, func(r rune) bool { return r >= '0' && r <= '9' }) == 0 {
		return first, tail
	}
	return "", street
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// BlockingKeys returns the keys under which a person is compared with
// others: only people sharing a key are scored. Every key joins two or
// more fields, so a block holds about the same few people whether the hub
// knows ten thousand customers or ten million, and the cost per event
// stays flat (a key on one field, a postcode or a common name, grows with
// the population). Several keys, each tolerant of a different kind of
// error, keep recall high: a typo in one field still leaves the others.
func BlockingKeys(p Person) []string {
	var keys []string
	add := func(k string, parts ...string) {
		for _, part := range parts {
			if part == "" {
				return
			}
		}
		keys = append(keys, k+":"+strings.Join(parts, "|"))
	}
	names := sortedPair(phonetic(p.Family), phonetic(p.Given)) // either order
	street, city := phonetic(firstWord(p.Street)), phonetic(p.City)
	for _, name := range []string{p.Family, p.Given} { // either name, in either field
		add("pn", p.PostalCode, phonetic(name)) // the other name or the birth date wrong
		add("dn", p.BirthDate, initial(name))   // moved house
		add("sn", street, city, phonetic(name)) // postcode and house number wrong
	}
	add("pd", p.PostalCode, p.BirthDate)                  // both names changed or swapped
	add("ny", names[0], names[1], birthYear(p.BirthDate)) // moved, day or month of birth wrong
	add("cn", city, names[0], names[1])                   // no birth date, postcode wrong
	add("ad", p.Number, street, city)                     // same home, names and postcode wrong
	return dedupeStrings(keys)
}

func sortedPair(a, b string) [2]string {
	if b < a {
		return [2]string{b, a}
	}
	return [2]string{a, b}
}

// birthYear is the year of a folded birth date (YYYYMMDD), or "".
func birthYear(d string) string {
	if len(d) < 4 {
		return ""
	}
	return d[:4]
}

func initial(s string) string { return prefix(s, 1) }

// prefix is the first n bytes of s, or "" when s is shorter.
func prefix(s string, n int) string {
	if len(s) < n {
		return ""
	}
	return s[:n]
}

func phonetic(s string) string {
	if s == "" {
		return ""
	}
	return matchr.Soundex(strings.ReplaceAll(s, " ", ""))
}

func firstWord(s string) string {
	w, _, _ := strings.Cut(s, " ")
	return w
}

func dedupeStrings(list []string) []string {
	var out []string
	for _, s := range list {
		out = appendUnique(out, s)
	}
	return out
}

// field weights: how much agreement on each field says about identity.
var weights = map[string]float64{
	"name": 3, "birth_date": 2.5, "street": 1.5, "number": 0.75, "city": 0.75, "postal_code": 1,
}

// Score compares two people: a weighted mean of field similarities over
// the fields both have, in [0, 1], and the evidence behind it.
func Score(a, b Person) (float64, []Evidence) {
	var ev []Evidence
	var sum, total float64
	add := func(field, x, y string, sim float64) {
		if x == "" || y == "" {
			return
		}
		ev = append(ev, Evidence{Field: field, A: x, B: y, Similarity: round2(sim)})
		sum += weights[field] * sim
		total += weights[field]
	}
	add("name", a.Given+" "+a.Family, b.Given+" "+b.Family, nameSimilarity(a, b))
	add("birth_date", a.BirthDate, b.BirthDate, codeSimilarity(a.BirthDate, b.BirthDate))
	add("street", a.Street, b.Street, jw(a.Street, b.Street))
	add("number", a.Number, b.Number, codeSimilarity(a.Number, b.Number))
	add("city", a.City, b.City, jw(a.City, b.City))
	add("postal_code", a.PostalCode, b.PostalCode, codeSimilarity(a.PostalCode, b.PostalCode))
	if total < weights["name"]+weights["birth_date"] { // too little evidence to propose anything
		return 0, ev
	}
	score := sum / total
	if differentGivenNames(a, b) && !sameBirthDate(a, b) { // family members share surname and address
		score = min(score, differentPersonCap)
	}
	return round2(score), ev
}

// differentPersonCap bounds the score of two people whose given names
// clearly differ, whatever else they share.
const differentPersonCap = 0.5

// sameBirthDate reports whether both birth dates are known and equal up
// to one typo.
func sameBirthDate(a, b Person) bool {
	return a.BirthDate != "" && b.BirthDate != "" && codeSimilarity(a.BirthDate, b.BirthDate) >= 0.7
}

// differentGivenNames reports whether both given names are known and
// unlike each other, also when the name fields are swapped.
func differentGivenNames(a, b Person) bool {
	if a.Given == "" || b.Given == "" {
		return false
	}
	return jw(a.Given, b.Given) < 0.75 && jw(a.Given, b.Family) < 0.75
}

// nameSimilarity compares given and family names, also crosswise, since
// sources swap the two fields. A missing part counts as half agreement.
func nameSimilarity(a, b Person) float64 {
	straight := (part(a.Given, b.Given) + part(a.Family, b.Family)) / 2
	swapped := (part(a.Given, b.Family) + part(a.Family, b.Given)) / 2
	return max(straight, swapped*0.95)
}

func part(x, y string) float64 {
	if x == "" || y == "" {
		return 0.5
	}
	return jw(x, y)
}

func jw(x, y string) float64 {
	if x == y {
		return 1
	}
	return matchr.JaroWinkler(x, y, false)
}

// codeSimilarity compares codes (dates, numbers, postcodes) by edit
// distance: one typo or one swap of neighbours still counts for much.
func codeSimilarity(x, y string) float64 {
	if x == y {
		return 1
	}
	switch matchr.DamerauLevenshtein(x, y) {
	case 1:
		return 0.7
	case 2:
		return 0.35
	}
	return 0
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
