package csvimport

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/touchpoint/touchpoint/customer"
)

// Limits bound what one row may make the decoder hold. A file may have
// any number of rows: memory does not grow with it.
type Limits struct {
	MaxRowBytes int // one row, quoted line breaks included; default 256 KiB
	MaxColumns  int // columns in the header; default 256
}

func (l Limits) withDefaults() Limits {
	if l.MaxRowBytes <= 0 {
		l.MaxRowBytes = 256 << 10
	}
	if l.MaxColumns <= 0 {
		l.MaxColumns = 256
	}
	return l
}

// Position is where a row starts: its byte offset in the file and its
// 1-based line number.
type Position struct {
	Offset int64 `json:"offset"`
	Line   int   `json:"line"`
}

// Options configure a Decoder.
type Options struct {
	Source    string            // import:<name>; validated and hashed into derived ids
	Map       map[string]string // column name → field overrides (see ParseMapping)
	Defaults  Defaults
	Encoding  Encoding // EncodingAuto detects it
	Delimiter rune     // 0 detects ',', ';', tab or '|' from the header line
	Limits    Limits
	// Start resumes at a row boundary an earlier Row.Next reported. The
	// header is still read from the file's start; r must then be an
	// io.Seeker.
	Start Position
}

// Row is one data row: an event, or the reason it is rejected.
type Row struct {
	Line   int // where the row starts
	Event  customer.Event
	Err    *RowError
	Record []string // the row's fields in UTF-8; valid until the next call to Next
	Next   Position // where the following row starts
}

// Decoder reads rows from a CSV file one at a time.
type Decoder struct {
	src     io.Reader
	guard   *rowGuard
	buf     *bufio.Reader
	csv     *csv.Reader
	base    Position // where csv started reading
	next    Position
	enc     Encoding
	delim   rune
	limits  Limits
	build   rowBuilder
	decoded []string
}

// NewDecoder detects the encoding and delimiter, reads and maps the
// header, and positions the decoder at the first row (or opts.Start).
func NewDecoder(r io.Reader, opts Options) (*Decoder, error) {
	d := &Decoder{src: r, limits: opts.Limits.withDefaults()}
	d.guard = &rowGuard{r: r, limit: SampleBytes + int64(d.limits.MaxRowBytes)}
	d.buf = bufio.NewReaderSize(d.guard, SampleBytes)
	bom, err := d.sniff(opts)
	if err != nil {
		return nil, err
	}
	d.base = Position{Offset: int64(bom), Line: 1}
	d.csv = d.newCSV()
	if err := d.readHeader(opts); err != nil {
		return nil, err
	}
	if opts.Start.Offset > d.next.Offset {
		return d, d.seek(opts.Start)
	}
	return d, nil
}

// sniff settles the encoding and delimiter from the file's first bytes
// and skips a BOM.
func (d *Decoder) sniff(opts Options) (int, error) {
	sample, err := d.buf.Peek(SampleBytes)
	if err != nil && err != io.EOF {
		return 0, fmt.Errorf("read the file's start: %w", err)
	}
	enc, bom, derr := DetectEncoding(sample, err == io.EOF)
	if derr != nil && opts.Encoding == EncodingAuto {
		return 0, derr
	}
	d.enc = enc
	if opts.Encoding != EncodingAuto {
		d.enc = opts.Encoding
	}
	d.delim = opts.Delimiter
	if d.delim == 0 {
		d.delim = detectDelimiter(sample[bom:])
	}
	_, _ = d.buf.Discard(bom)
	return bom, nil
}

func (d *Decoder) newCSV() *csv.Reader {
	c := csv.NewReader(d.buf)
	c.Comma = d.delim
	c.ReuseRecord = true
	return c
}

// readHeader reads the first record and resolves the column mapping.
func (d *Decoder) readHeader(opts Options) error {
	rec, err := d.csv.Read()
	switch {
	case err == io.EOF:
		return headerErr("the file is empty")
	case errors.Is(err, ErrRowTooLong):
		return headerErr("the header line is longer than %d bytes", d.limits.MaxRowBytes)
	case err != nil:
		return headerErr("%v", err)
	case len(rec) > d.limits.MaxColumns:
		return headerErr("the header has %d columns, at most %d allowed", len(rec), d.limits.MaxColumns)
	}
	header := make([]string, len(rec))
	for i, name := range d.decode(rec) {
		if !utf8.ValidString(name) {
			return headerErr("column %d's name is not valid UTF-8: pass --encoding windows-1252", i+1)
		}
		header[i] = strings.TrimSpace(name)
	}
	cm, err := resolveMapping(header, opts.Map, !opts.Defaults.OccurredAt.IsZero())
	if err != nil {
		return err
	}
	d.build = rowBuilder{cm: cm, source: opts.Source, defaults: opts.Defaults.withFallbacks()}
	d.csv.FieldsPerRecord = len(header)
	d.advance(d.endLine(rec) + 1)
	return nil
}

// seek jumps to a row boundary of an earlier run.
func (d *Decoder) seek(to Position) error {
	seeker, ok := d.src.(io.Seeker)
	if !ok {
		return fmt.Errorf("%w: cannot resume: the input is not seekable", ErrCheckpoint)
	}
	if _, err := seeker.Seek(to.Offset, io.SeekStart); err != nil {
		return fmt.Errorf("resume at byte %d: %w", to.Offset, err)
	}
	d.guard.delivered = to.Offset
	d.buf.Reset(d.guard)
	d.base, d.next = to, to
	d.guard.limit = to.Offset + SampleBytes + int64(d.limits.MaxRowBytes)
	width := d.csv.FieldsPerRecord
	d.csv = d.newCSV()
	d.csv.FieldsPerRecord = width
	return nil
}

// Header returns the header's column names.
func (d *Decoder) Header() []string { return d.build.cm.header }

// Ignored returns the columns no field is mapped to.
func (d *Decoder) Ignored() []string { return d.build.cm.ignored }

// Encoding returns the encoding the file is read as.
func (d *Decoder) Encoding() Encoding { return d.enc }

// Delimiter returns the field separator in use.
func (d *Decoder) Delimiter() rune { return d.delim }

// Position returns where the next row starts.
func (d *Decoder) Position() Position { return d.next }

// Next returns the next row, io.EOF after the last, or an error that
// ends the file (a row longer than the limit, a read error). A row that
// cannot become an event is returned with Err set, not as an error.
func (d *Decoder) Next() (Row, error) {
	rec, err := d.csv.Read()
	var perr *csv.ParseError
	switch {
	case err == io.EOF:
		return Row{}, io.EOF
	case errors.Is(err, ErrRowTooLong):
		return Row{}, fmt.Errorf("%w: the row starting on line %d is longer than %d bytes (is a quote not closed?)", ErrRowTooLong, d.next.Line, d.limits.MaxRowBytes)
	case errors.As(err, &perr) && errors.Is(perr.Err, csv.ErrFieldCount):
		return d.wrongWidth(rec), nil
	case errors.As(err, &perr):
		return d.malformed(rec, perr), nil
	case err != nil:
		return Row{}, fmt.Errorf("read the row on line %d: %w", d.next.Line, err)
	}
	line := d.lineOf(rec)
	fields := d.decode(rec)
	e, rerr := d.build.build(line, fields)
	d.advance(d.endLine(rec) + 1)
	return Row{Line: line, Event: e, Err: rerr, Record: fields, Next: d.next}, nil
}

// malformed reports a row encoding/csv could not split into fields.
func (d *Decoder) malformed(rec []string, perr *csv.ParseError) Row {
	line := d.base.Line - 1 + perr.StartLine
	d.advance(d.base.Line - 1 + perr.Line + 1)
	reason := perr.Err.Error()
	if errors.Is(perr.Err, csv.ErrQuote) || errors.Is(perr.Err, csv.ErrBareQuote) {
		reason += ": a field with a quote must be quoted as a whole, with quotes inside doubled"
	}
	var fields []string
	if rec != nil {
		fields = d.decode(rec)
	}
	return Row{Line: line, Err: &RowError{Line: line, Reason: reason}, Record: fields, Next: d.next}
}

// wrongWidth reports a row whose column count differs from the header's.
func (d *Decoder) wrongWidth(rec []string) Row {
	line := d.lineOf(rec)
	fields := d.decode(rec)
	d.advance(d.endLine(rec) + 1)
	reason := fmt.Sprintf("has %d columns, the header has %d", len(rec), d.csv.FieldsPerRecord)
	return Row{Line: line, Err: &RowError{Line: line, Reason: reason}, Record: fields, Next: d.next}
}

// lineOf is the file line where rec starts.
func (d *Decoder) lineOf(rec []string) int {
	line, _ := d.csv.FieldPos(0)
	return d.base.Line - 1 + line
}

// endLine is the file line where rec ends: its last field's start plus
// the line breaks quoted inside that field.
func (d *Decoder) endLine(rec []string) int {
	last := len(rec) - 1
	line, _ := d.csv.FieldPos(last)
	return d.base.Line - 1 + line + strings.Count(rec[last], "\n")
}

// advance records where the next row starts and lets the guard read at
// most one more row's worth past it.
func (d *Decoder) advance(nextLine int) {
	d.next = Position{Offset: d.base.Offset + d.csv.InputOffset(), Line: nextLine}
	d.guard.limit = d.next.Offset + SampleBytes + int64(d.limits.MaxRowBytes)
}

// decode converts a record's fields to UTF-8.
func (d *Decoder) decode(rec []string) []string {
	if d.enc != EncodingWindows1252 {
		return rec
	}
	d.decoded = d.decoded[:0]
	for _, f := range rec {
		d.decoded = append(d.decoded, decodeWindows1252(f))
	}
	return d.decoded
}

// rowGuard stops reading the file more than one row plus the read-ahead
// buffer past the current row's start, so a row without an end (an
// unclosed quote, a binary file) cannot fill memory.
type rowGuard struct {
	r         io.Reader
	delivered int64 // file offset of the next byte to read
	limit     int64 // file offset not to read past
}

func (g *rowGuard) Read(p []byte) (int, error) {
	room := g.limit - g.delivered
	if room <= 0 {
		return 0, ErrRowTooLong
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := g.r.Read(p)
	g.delivered += int64(n)
	return n, err
}
