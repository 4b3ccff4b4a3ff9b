package csvimport

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
)

// FuzzDecodeCSV feeds arbitrary files to the decoder: it never panics,
// line numbers and offsets only move forward and stay inside the file,
// every event it yields is valid, every rejection names a line and a
// reason, and resuming after the first row yields the rows after it.
func FuzzDecodeCSV(f *testing.F) {
	for _, name := range []string{"testdata/dms-windows1252.csv", "testdata/dms-utf8-bom.csv"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("Email,Date\na@example.com,2026-01-01\n\"b\nc\",x\nbad\"q,2026-01-01\n"))
	f.Add([]byte("Email;Note;Date\r\nx@y.z;\"open;2026-01-01\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := Options{Source: testSource, Limits: Limits{MaxRowBytes: 4 << 10, MaxColumns: 64}}
		rows, fatal := decodeAll(data, opts)
		last := Position{}
		for _, r := range rows {
			checkFuzzRow(t, r, last, len(data))
			last = r.Next
		}
		if fatal || len(rows) < 2 {
			return
		}
		opts.Start = rows[0].Next
		rest, _ := decodeAll(data, opts)
		if len(rest) != len(rows)-1 {
			t.Fatalf("resuming after row 1 gave %d rows, want %d", len(rest), len(rows)-1)
		}
	})
}

// decodeAll reads at most 10,000 rows; fatal reports a decoder error.
func decodeAll(data []byte, opts Options) ([]Row, bool) {
	d, err := NewDecoder(bytes.NewReader(data), opts)
	if err != nil {
		return nil, true
	}
	var rows []Row
	for range 10_000 {
		row, err := d.Next()
		if errors.Is(err, io.EOF) {
			return rows, false
		}
		if err != nil {
			return rows, true
		}
		rows = append(rows, row)
	}
	return rows, true
}

func checkFuzzRow(t *testing.T, r Row, last Position, size int) {
	t.Helper()
	if r.Line <= last.Line-1 || r.Line < 2 || r.Next.Line <= r.Line || r.Next.Offset <= last.Offset || r.Next.Offset > int64(size) {
		t.Fatalf("row at line %d, next %+v, after %+v in %d bytes", r.Line, r.Next, last, size)
	}
	if r.Err != nil {
		if r.Err.Line != r.Line || r.Err.Reason == "" {
			t.Fatalf("rejection %+v for the row on line %d", *r.Err, r.Line)
		}
		return
	}
	e := r.Event
	if err := e.ValidateFields(); err != nil || e.Source != testSource {
		t.Fatalf("yielded an invalid event %+v: %v", e, err)
	}
}
