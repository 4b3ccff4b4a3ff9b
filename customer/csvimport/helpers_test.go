package csvimport

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// testSource is the source of every test import.
const testSource = "import:test"

func testOptions() Options {
	return Options{Source: testSource}
}

// mustDecoder opens a decoder over in or fails the test.
func mustDecoder(t *testing.T, in string, opts Options) *Decoder {
	t.Helper()
	d, err := NewDecoder(strings.NewReader(in), opts)
	if err != nil {
		t.Fatalf("NewDecoder: %v", err)
	}
	return d
}

// readAll returns every row of d, failing on a fatal error.
func readAll(t *testing.T, d *Decoder) []Row {
	t.Helper()
	var rows []Row
	for range 1_000_000 {
		row, err := d.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		row.Record = append([]string(nil), row.Record...)
		rows = append(rows, row)
	}
	t.Fatal("more than a million rows")
	return nil
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}
