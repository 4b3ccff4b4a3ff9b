package csvimport

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Fields are the event fields a column may map to, named as in the event
// JSON; "attribute.<name>" maps a column to attributes[name] as well.
var Fields = []string{
	"id", "type", "occurred_at", "channel",
	"email", "phone", "web_id", "given_name", "family_name",
	"line1", "city", "postal_code", "country", "birth_date", "customer_id",
	"vin", "model", "year", "note", "staff",
}

const attributePrefix = "attribute."

// identityFields are the fields that give an event an identity hint.
var identityFields = []string{"email", "phone", "web_id", "customer_id", "given_name", "family_name", "line1", "city", "postal_code", "birth_date"}

// synonyms maps a normalised header (see normalizeHeader) to its field.
// They cover the names common dealer systems and Excel templates use, in
// English and German.
var synonyms = map[string]string{
	"id": "id", "eventid": "id", "recordid": "id",
	"type": "type", "eventtype": "type",
	"date": "occurred_at", "datum": "occurred_at", "occurredat": "occurred_at", "timestamp": "occurred_at",
	"createdat": "occurred_at", "created": "occurred_at", "saledate": "occurred_at", "purchasedate": "occurred_at",
	"channel": "channel", "kanal": "channel",
	"email": "email", "emailaddress": "email",
	"phone": "phone", "tel": "phone", "telephone": "phone", "telefon": "phone", "mobile": "phone",
	"mobil": "phone", "cell": "phone", "phonenumber": "phone", "handy": "phone",
	"webid":     "web_id",
	"firstname": "given_name", "givenname": "given_name", "forename": "given_name", "vorname": "given_name",
	"lastname": "family_name", "surname": "family_name", "familyname": "family_name", "nachname": "family_name",
	"address": "line1", "street": "line1", "line1": "line1", "addressline1": "line1", "strasse": "line1", "straße": "line1",
	"city": "city", "town": "city", "ort": "city", "stadt": "city",
	"zip": "postal_code", "zipcode": "postal_code", "postcode": "postal_code", "postalcode": "postal_code", "plz": "postal_code",
	"country": "country", "land": "country",
	"birthdate": "birth_date", "dateofbirth": "birth_date", "dob": "birth_date", "geburtsdatum": "birth_date",
	"customerid": "customer_id", "customerno": "customer_id", "customernumber": "customer_id", "kundennummer": "customer_id", "kdnr": "customer_id",
	"vin": "vin", "fin": "vin", "chassisnumber": "vin", "vehicleidentificationnumber": "vin",
	"model": "model", "modell": "model", "vehiclemodel": "model",
	"year": "year", "modelyear": "year", "baujahr": "year",
	"note": "note", "notes": "note", "comment": "note", "comments": "note", "bemerkung": "note",
	"staff": "staff", "salesperson": "staff", "advisor": "staff", "verkaufer": "staff", "verkäufer": "staff",
}

// normalizeHeader folds a header for synonym lookup: lower case, without
// spaces, punctuation or a leading BOM ("E-Mail" and "e_mail" → "email").
func normalizeHeader(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ParseMapping reads a --map value, "Column=field,Other Column=field",
// into column name → field. A column name may not contain ',' or '='.
func ParseMapping(s string) (map[string]string, error) {
	m := map[string]string{}
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	for _, pair := range strings.Split(s, ",") {
		col, field, ok := strings.Cut(pair, "=")
		col, field = strings.TrimSpace(col), strings.TrimSpace(field)
		if !ok || col == "" {
			return nil, headerErr("--map entry %q is not Column=field", pair)
		}
		if err := checkField(field); err != nil {
			return nil, err
		}
		if _, dup := m[col]; dup {
			return nil, headerErr("--map names column %q twice", col)
		}
		m[col] = field
	}
	return m, nil
}

// checkField accepts a field name, "attribute.<name>", or "" / "-" for
// a column to ignore.
func checkField(field string) error {
	if field == "" || field == "-" || slices.Contains(Fields, field) {
		return nil
	}
	if name, ok := strings.CutPrefix(field, attributePrefix); ok && name != "" && len(name) <= 64 {
		return nil
	}
	return headerErr("unknown field %q: use one of %s, attribute.<name>, or - to ignore", field, strings.Join(Fields, ", "))
}

// columnMap is the resolved mapping: the field of each column, "" when
// the column is ignored.
type columnMap struct {
	header  []string
	fields  []string
	ignored []string
}

// resolveMapping maps each header column: an override by exact column
// name first, then a synonym. Two columns mapping to one field, an
// override naming a missing column, or a header without an identity
// column or date are errors.
func resolveMapping(header []string, overrides map[string]string, haveDate bool) (columnMap, error) {
	cm := columnMap{header: header, fields: make([]string, len(header))}
	seen := map[string]string{}
	used := map[string]bool{}
	for i, col := range header {
		field, ok := overrides[col]
		used[col] = used[col] || ok
		if !ok {
			field = synonyms[normalizeHeader(col)]
		}
		if field == "-" || field == "" {
			cm.ignored = append(cm.ignored, col)
			continue
		}
		if other, dup := seen[field]; dup {
			return cm, headerErr("columns %q and %q both map to %s: map one of them to - with --map", other, col, field)
		}
		seen[field], cm.fields[i] = col, field
	}
	for _, col := range sortedKeys(overrides) {
		if !used[col] {
			return cm, headerErr("--map names column %q, which the header does not have (it has %s)", col, quoteList(header))
		}
	}
	return cm, cm.checkRequired(seen, haveDate)
}

func (cm columnMap) checkRequired(seen map[string]string, haveDate bool) error {
	if _, ok := seen["occurred_at"]; !ok && !haveDate {
		return headerErr("no column maps to occurred_at: map the date column with --map \"Column=occurred_at\" or give --date")
	}
	for _, f := range identityFields {
		if _, ok := seen[f]; ok {
			return nil
		}
	}
	return headerErr("no column maps to a customer field (%s): map one with --map; the header has %s", strings.Join(identityFields, ", "), quoteList(cm.header))
}

func quoteList(cols []string) string {
	if len(cols) > 12 {
		return fmt.Sprintf("%q and %d more", cols[:12], len(cols)-12)
	}
	return fmt.Sprintf("%q", cols)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
