package customer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	lru "github.com/hashicorp/golang-lru"
	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// DefaultRegion is the country assumed for phone numbers written without
// one when the source does not say otherwise.
const DefaultRegion = "US"

// NormalizeEmail folds case and strips spaces; it returns "" for a value
// that is not an email address.
func NormalizeEmail(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return ""
	}
	return s
}

// NormalizePhone returns the number in E.164 following libphonenumber's
// rules, reading numbers without a country code as numbers of region. It
// returns "" for a value that is not a valid number.
func NormalizePhone(s, region string) string {
	if region == "" {
		region = DefaultRegion
	}
	memoKey := region + "\x00" + s
	if v, ok := phoneMemo.Get(memoKey); ok {
		return v.(string)
	}
	out := ""
	num, err := phonenumbers.Parse(s, strings.ToUpper(region))
	if err == nil && phonenumbers.IsValidNumber(num) {
		out = phonenumbers.Format(num, phonenumbers.E164)
	}
	phoneMemo.Add(memoKey, out)
	return out
}

// phoneMemo remembers recent phone normalisations: parsing with the
// libphonenumber rules costs more than the rest of an event's intake, and
// the same people's numbers come back again and again.
var phoneMemo = func() *lru.Cache {
	c, err := lru.New(16384)
	if err != nil {
		panic(err)
	}
	return c
}()

// FoldName folds a name for comparison: lower case, no diacritics, single
// spaces, letters and digits only.
func FoldName(s string) string {
	folded := s
	if !isASCII(s) { // the Unicode transform is costly; most names need none
		t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
		if out, _, err := transform.String(t, s); err == nil {
			folded = out
		}
	}
	folded = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return ' '
	}, folded)
	return strings.Join(strings.Fields(folded), " ")
}

// NameTokens returns the folded words of a person's names.
func NameTokens(given, family string) []string {
	return strings.Fields(FoldName(given + " " + family))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
