package customer

import (
	"bytes"
	"cmp"
	"encoding/json"
	"reflect"
	"strings"
	"unicode/utf8"
)

// maxFieldNameLen bounds the unknown field name an error repeats.
const maxFieldNameLen = 64

// objectFields are the JSON objects of an event whose fields the contract
// fixes, by path ("" is the event itself), with their field names.
// attributes is a free map and so not among them.
var objectFields = map[string][]string{
	"":                 jsonNames(reflect.TypeFor[Event]()),
	"customer":         jsonNames(reflect.TypeFor[Hints]()),
	"customer.address": jsonNames(reflect.TypeFor[Address]()),
	"vehicle":          jsonNames(reflect.TypeFor[Vehicle]()),
}

// jsonNames lists the JSON names of a struct's fields.
func jsonNames(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		names = append(names, name)
	}
	return names
}

// unknownFieldError names the first field of raw, in document order, that
// the contract does not know, with its path: customer.mobile.
func unknownFieldError(raw []byte) *FieldError {
	const elsewhere = "; other data goes in attributes"
	path, name, ok := findUnknownField(raw, "")
	if !ok { // encoding/json saw one that this walk did not
		return &FieldError{Field: "event", Reason: "has a field that is not a field of an event" + elsewhere}
	}
	known := "(" + strings.Join(objectFields[path], ", ") + ")"
	if name == "" || len(name) > maxFieldNameLen || !utf8.ValidString(name) {
		return &FieldError{Field: cmp.Or(path, "event"), Reason: "has a field that is not one of " + known + elsewhere}
	}
	return &FieldError{Field: joinPath(path, name), Reason: "is not a field of " + cmp.Or(path, "an event") + " " + known + elsewhere}
}

// findUnknownField walks the object at path in raw and its known nested
// objects, and returns the first field name none of them knows. Field
// names match case-insensitively, as encoding/json matches them.
func findUnknownField(raw []byte, path string) (string, string, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", "", false
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", "", false
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return "", "", false
		}
		name, ok := knownName(objectFields[path], key)
		if !ok {
			return path, key, true
		}
		if _, nested := objectFields[joinPath(path, name)]; nested {
			if p, n, found := findUnknownField(value, joinPath(path, name)); found {
				return p, n, true
			}
		}
	}
	return "", "", false
}

// knownName returns the contract's spelling of key, if it is one.
func knownName(names []string, key string) (string, bool) {
	for _, n := range names {
		if n == key || strings.EqualFold(n, key) {
			return n, true
		}
	}
	return "", false
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
