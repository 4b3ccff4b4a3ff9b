package clitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
)

// snakeCase is a key of lower-case words joined by underscores.
var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// CheckJSONText reports why text is not what a --json flag must print:
// exactly one JSON value, every object key snake_case at every depth,
// every number written without an exponent (1.6777217e+07 is 16777217
// printed through a float).
func CheckJSONText(text string) error {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := dec.Decode(new(any)); !errors.Is(err, io.EOF) {
		return errors.New("more than one JSON value, or text after it")
	}
	return checkValue("$", v)
}

func checkValue(path string, v any) error {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !snakeCase.MatchString(k) {
				return fmt.Errorf("%s: key %q is not snake_case (give the field a json tag)", path, k)
			}
			if err := checkValue(path+"."+k, v[k]); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range v {
			if err := checkValue(fmt.Sprintf("%s[%d]", path, i), e); err != nil {
				return err
			}
		}
	case json.Number:
		if strings.ContainsAny(v.String(), "eE") {
			return fmt.Errorf("%s: number %s has an exponent (decode it as an integer, or pass the server's JSON through)", path, v)
		}
	}
	return nil
}

// CaptureStdout runs fn and returns what it wrote to os.Stdout.
func CaptureStdout(fn func()) (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan []byte)
	go func() {
		var b bytes.Buffer
		_, _ = io.Copy(&b, r)
		done <- b.Bytes()
	}()
	func() {
		defer func() { os.Stdout = old; w.Close() }()
		fn()
	}()
	out := <-done
	r.Close()
	return string(out), nil
}
