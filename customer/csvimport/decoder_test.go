package csvimport

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// Each header, mapping and encoding problem stops the import before any
// row, with a message naming what to fix.
func TestNewDecoder_RefusesBadHeaders(t *testing.T) {
	wide := strings.Repeat("x,", 300) + "Email,Date\n"
	tests := []struct {
		name, in string
		opts     func(*Options)
		is       error
		want     string
	}{
		{"empty file", "", nil, ErrHeader, "the file is empty"},
		{"utf-16 le", "\xff\xfeE\x00m\x00", nil, ErrEncoding, "UTF-16"},
		{"utf-16 be", "\xfe\xff\x00E\x00m", nil, ErrEncoding, "UTF-16"},
		{"nul bytes", "Email\x00,Date\n", nil, ErrEncoding, "NUL"},
		{"too many columns", wide, nil, ErrHeader, "at most 256 allowed"},
		{"header too long", "Email,Date," + strings.Repeat("x", 400<<10) + "\n", nil, ErrHeader, "longer than"},
		{"header not utf-8", "E-Mail,Stra\xdfe,Date\n", func(o *Options) { o.Encoding = EncodingUTF8 }, ErrHeader, "not valid UTF-8"},
		{"bare quote in header", "Em\"ail,Date\n", nil, ErrHeader, "bare \""},
		{"two columns for one field", "E-Mail,Email,Date\n", nil, ErrHeader, `"E-Mail" and "Email" both map to email`},
		{"map names a missing column", "Email,Date\n", func(o *Options) { o.Map = map[string]string{"Mail": "email"} }, ErrHeader, `column "Mail", which the header does not have`},
		{"no date column", "Email,Model\n", nil, ErrHeader, "no column maps to occurred_at"},
		{"no customer column", "Date,Model,VIN\n", nil, ErrHeader, "no column maps to a customer field"},
		{"customer column mapped away", "Email,Date\n", func(o *Options) { o.Map = map[string]string{"Email": "-"} }, ErrHeader, "no column maps to a customer field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			if tt.opts != nil {
				tt.opts(&opts)
			}
			_, err := NewDecoder(strings.NewReader(tt.in), opts)
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %v containing %q", err, tt.is, tt.want)
			}
		})
	}
}

// A --map value is Column=field pairs naming known fields.
func TestParseMapping_RejectsBadEntries(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mail", "is not Column=field"},
		{"=email", "is not Column=field"},
		{"Mail=emial", `unknown field "emial"`},
		{"Mail=attribute.", `unknown field "attribute."`},
		{"Mail=email,Mail=phone", `names column "Mail" twice`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseMapping(tt.in)
			if !errors.Is(err, ErrHeader) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseMapping(%q) = %v, want %q", tt.in, err, tt.want)
			}
		})
	}
	m, err := ParseMapping(" Kd Nr = customer_id , Farbe=attribute.color,Junk=- ")
	if err != nil || m["Kd Nr"] != "customer_id" || m["Farbe"] != "attribute.color" || m["Junk"] != "-" {
		t.Fatalf("ParseMapping = %v, %v", m, err)
	}
}

// --encoding takes auto, utf-8 or windows-1252 and their common aliases.
func TestParseEncoding(t *testing.T) {
	for in, want := range map[string]Encoding{"": EncodingAuto, "UTF-8": EncodingUTF8, "utf8": EncodingUTF8, "cp1252": EncodingWindows1252, "Windows-1252": EncodingWindows1252} {
		if got, err := ParseEncoding(in); err != nil || got != want {
			t.Errorf("ParseEncoding(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseEncoding("ebcdic"); !errors.Is(err, ErrEncoding) {
		t.Errorf("ParseEncoding(ebcdic) = %v, want ErrEncoding", err)
	}
}

// Each row problem rejects that row alone, naming its line, column and
// reason; the rows around it still import.
func TestDecoder_RejectsBadRowsWithLineAndColumn(t *testing.T) {
	const header = "Email,Date,Type,Channel,Birth Date,Year,Note,ID\n"
	good := "ok@example.com,2026-01-02,,,,,,\n"
	tests := []struct {
		name, row         string
		line              int
		column, field, is string
	}{
		{"wrong column count", "a@example.com,2026-01-02\n", 3, "", "", "has 2 columns, the header has 8"},
		{"bare quote", "a@exa\"mple.com,2026-01-02,,,,,,\n", 3, "", "", `bare " in non-quoted-field`},
		{"no values", ",,,,,,,\n", 3, "", "", "no values in mapped columns"},
		{"bad date", "a@example.com,01/02/2026,,,,,,\n", 3, "Date", "occurred_at", "is not a date"},
		{"date out of range", "a@example.com,1850-01-01,,,,,,\n", 3, "Date", "occurred_at", "year 1850 is out of range"},
		{"bad birth date", "a@example.com,2026-01-02,,,31.02.1980,,,\n", 3, "Birth Date", "customer.birth_date", "is not a date"},
		{"bad year", "a@example.com,2026-01-02,,,,MMXX,,\n", 3, "Year", "vehicle.year", "is not a year"},
		{"year out of range", "a@example.com,2026-01-02,,,,1492,,\n", 3, "Year", "vehicle.year", "1492 is out of range"},
		{"bad type", "a@example.com,2026-01-02,Test Drive,,,,,\n", 3, "Type", "type", "lowercase letters"},
		{"bad channel", "a@example.com,2026-01-02,,fax,,,,\n", 3, "Channel", "channel", "must be one of"},
		{"note too long", "a@example.com,2026-01-02,,,,," + strings.Repeat("n", 5000) + ",\n", 3, "Note", "note", "longer than 4096"},
		{"id too long", "a@example.com,2026-01-02,,,,,," + strings.Repeat("i", 200) + "\n", 3, "ID", "id", "longer than 128"},
		{"not utf-8", "a@example.com,2026-01-02,,,,,caf\xe9,\n", 3, "Note", "note", "not valid UTF-8"},
		{"only a date", ",2026-01-02,,,,,,\n", 3, "", "customer", "needs at least one identity hint"},
		{"multi-line row counts its lines", "\"a@example.com\",2026-01-02,,,,,\"two\nlines\",\nx@example.com,someday,,,,,,\n", 5, "Date", "occurred_at", "is not a date"},
		{"unclosed quote", "a@example.com,2026-01-02,,,,,\"open,\n", 3, "", "", `extraneous or missing " in quoted-field`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			opts.Encoding = EncodingUTF8
			rows := readAll(t, mustDecoder(t, header+good+tt.row, opts))
			var bad *RowError
			for _, r := range rows {
				if r.Err != nil {
					if bad != nil {
						t.Fatalf("two rejected rows: %v and %v", bad, r.Err)
					}
					bad = r.Err
				}
			}
			if rows[0].Err != nil || rows[0].Line != 2 {
				t.Fatalf("the good row on line 2 = %+v", rows[0])
			}
			if bad == nil {
				t.Fatalf("no row rejected in %d rows", len(rows))
			}
			if bad.Line != tt.line || bad.Column != tt.column || bad.Field != tt.field || !strings.Contains(bad.Reason, tt.is) {
				t.Fatalf("rejected %+v, want line %d column %q field %q reason %q", *bad, tt.line, tt.column, tt.field, tt.is)
			}
		})
	}
}

// Whether a phone or e-mail normalises is the server's to decide (it
// knows the region it reads phone numbers in): the decoder passes such
// hints on as written.
func TestDecoder_LeavesHintsThatDoNotNormaliseToTheServer(t *testing.T) {
	in := "Email,Phone,Date\nnot-an-address,,2026-01-02\na@example.com,030 1234567,2026-01-02\n"
	rows := readAll(t, mustDecoder(t, in, testOptions()))
	if len(rows) != 2 || rows[0].Err != nil || rows[1].Err != nil {
		t.Fatalf("rows %+v, want two events", rows)
	}
	if h := rows[0].Event.Customer; h.Email != "not-an-address" {
		t.Errorf("first row's hints %+v, want the e-mail as written", h)
	}
	if h := rows[1].Event.Customer; h.Phone != "030 1234567" {
		t.Errorf("second row's hints %+v, want the phone as written", h)
	}
}

// A row longer than the limit ends the file with an error naming the
// line it started on: an unclosed quote would otherwise swallow it all.
func TestDecoder_RowTooLongIsFatal(t *testing.T) {
	in := "Email,Note,Date\na@example.com,\"" + strings.Repeat("x\n", 200<<10) + "\n"
	opts := testOptions()
	opts.Limits.MaxRowBytes = 64 << 10
	d := mustDecoder(t, in, opts)
	_, err := d.Next()
	if !errors.Is(err, ErrRowTooLong) || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("Next = %v, want ErrRowTooLong on line 2", err)
	}
}

// Too many attributes in one row are rejected by the event's validation.
func TestDecoder_RejectsTooManyAttributes(t *testing.T) {
	var cols, vals []string
	m := map[string]string{}
	for i := range 33 {
		col := "A" + strings.Repeat("x", i)
		cols, vals = append(cols, col), append(vals, "v")
		m[col] = "attribute.a" + col
	}
	in := "Email,Date," + strings.Join(cols, ",") + "\na@example.com,2026-01-01," + strings.Join(vals, ",") + "\n"
	opts := testOptions()
	opts.Map = m
	rows := readAll(t, mustDecoder(t, in, opts))
	if len(rows) != 1 || rows[0].Err == nil || rows[0].Err.Field != "attributes" {
		t.Fatalf("rows = %+v, want one rejected for attributes", rows)
	}
}

// The Windows-1252 sample decodes to the right letters, and the same
// rows in UTF-8 with a BOM give the same events and ids.
func TestDecoder_Windows1252AndUTF8GiveSameEvents(t *testing.T) {
	read := func(name string, want Encoding) []Row {
		f, err := os.Open("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		d, err := NewDecoder(f, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		if d.Encoding() != want || d.Delimiter() != ';' {
			t.Fatalf("%s: encoding %v delimiter %q, want %v ;", name, d.Encoding(), d.Delimiter(), want)
		}
		return readAll(t, d)
	}
	cp := read("dms-windows1252.csv", EncodingWindows1252)
	u8 := read("dms-utf8-bom.csv", EncodingUTF8)
	if len(cp) != 3 || len(u8) != 3 {
		t.Fatalf("%d and %d rows, want 3", len(cp), len(u8))
	}
	for i := range cp {
		if cp[i].Err != nil || u8[i].Err != nil {
			t.Fatalf("row %d rejected: %v / %v", i, cp[i].Err, u8[i].Err)
		}
		if cp[i].Event.ID != u8[i].Event.ID {
			t.Errorf("row %d: ids differ by encoding: %s vs %s", i, cp[i].Event.ID, u8[i].Event.ID)
		}
	}
	e := cp[1].Event
	if e.Customer.GivenName != "Jürgen" || e.Customer.FamilyName != "Weiß" || e.Customer.Address.City != "München" || e.Customer.Address.Line1 != "Schloßallee 1" {
		t.Errorf("decoded %+v %+v", e.Customer, *e.Customer.Address)
	}
	if want := time.Date(2026, 11, 3, 14, 30, 0, 0, time.UTC); !e.OccurredAt.Equal(want) || e.Source != testSource || e.Type != "contact_updated" || e.Channel != "showroom" {
		t.Errorf("event %+v", e)
	}
	if cp[0].Event.Vehicle == nil || cp[0].Event.Vehicle.VIN != "WVWZZZ1JZXW000001" || cp[0].Event.Customer.CustomerID != "K-1001" {
		t.Errorf("row 1 %+v", cp[0].Event)
	}
}

// Encoding detection: a BOM or valid UTF-8 means UTF-8, a rune cut off at
// the sample's end does not count against it, anything else is
// Windows-1252.
func TestDetectEncoding(t *testing.T) {
	tests := []struct {
		name   string
		sample string
		atEOF  bool
		want   Encoding
		bom    int
	}{
		{"ascii", "Email,Date\n", true, EncodingUTF8, 0},
		{"utf-8 bom", "\xef\xbb\xbfEmail\n", true, EncodingUTF8, 3},
		{"utf-8 letters", "Straße\n", true, EncodingUTF8, 0},
		{"cut rune at sample end", "Stra\xc3", false, EncodingUTF8, 0},
		{"cut rune at file end", "Stra\xc3", true, EncodingWindows1252, 0},
		{"windows-1252", "Stra\xdfe\n", true, EncodingWindows1252, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, bom, err := DetectEncoding([]byte(tt.sample), tt.atEOF)
			if err != nil || got != tt.want || bom != tt.bom {
				t.Fatalf("DetectEncoding = %v, %d, %v; want %v, %d", got, bom, err, tt.want, tt.bom)
			}
		})
	}
}

// The built-in header names of common dealer systems map without --map,
// and --map overrides them.
func TestDecoder_MapsSynonymsAndOverrides(t *testing.T) {
	in := "E-Mail,Tel,First Name,Surname,Zip,VIN,Date,Farbe,Mobile\n" +
		" A@Example.com ,+49 30 1,Anna,Muster,10115,wvw1,2026-01-02T10:00:00+01:00,rot,+49 170 2\n"
	opts := testOptions()
	opts.Map = map[string]string{"Farbe": "attribute.color", "Mobile": "-"}
	d := mustDecoder(t, in, opts)
	if got := d.Ignored(); len(got) != 1 || got[0] != "Mobile" {
		t.Errorf("ignored = %q, want Mobile", got)
	}
	rows := readAll(t, d)
	e := rows[0].Event
	if rows[0].Err != nil || e.Customer.Email != "A@Example.com" || e.Customer.Phone != "+49 30 1" || e.Customer.GivenName != "Anna" ||
		e.Customer.FamilyName != "Muster" || e.Customer.Address.PostalCode != "10115" || e.Vehicle.VIN != "WVW1" || e.Attributes["color"] != "rot" {
		t.Fatalf("row = %+v / %+v", rows[0].Err, e)
	}
	if !e.OccurredAt.Equal(time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("occurred_at = %v", e.OccurredAt)
	}
}

// A row's id is its id column when it has one, else a hash of its
// content that ignores whitespace and column order.
func TestDecoder_IDsAreStable(t *testing.T) {
	a := readAll(t, mustDecoder(t, "Email,Date,Model\na@example.com,2026-01-02,ZOT 1\n", testOptions()))
	b := readAll(t, mustDecoder(t, "Model;Date;Email\n ZOT 1 ;2026-01-02; a@example.com\n", testOptions()))
	c := readAll(t, mustDecoder(t, "Model,Date,Email\nZOT 2,2026-01-02,a@example.com\n", testOptions()))
	if a[0].Event.ID != b[0].Event.ID || a[0].Event.ID == c[0].Event.ID || !strings.HasPrefix(a[0].Event.ID, "csv-") {
		t.Fatalf("ids %s %s %s: want the first two equal, the third different", a[0].Event.ID, b[0].Event.ID, c[0].Event.ID)
	}
	other := testOptions()
	other.Source = "import:other"
	if d := readAll(t, mustDecoder(t, "Email,Date,Model\na@example.com,2026-01-02,ZOT 1\n", other)); d[0].Event.ID == a[0].Event.ID {
		t.Errorf("the id does not depend on the source")
	}
	withID := readAll(t, mustDecoder(t, "ID,Email,Date\nrow-7,a@example.com,2026-01-02\n", testOptions()))
	if withID[0].Event.ID != "row-7" {
		t.Errorf("id column ignored: %s", withID[0].Event.ID)
	}
}

// Defaults fill type, channel and date; a --date lets a file go without
// a date column.
func TestDecoder_Defaults(t *testing.T) {
	opts := testOptions()
	opts.Defaults = Defaults{Type: "purchase", Channel: "service", OccurredAt: day("2026-03-04")}
	rows := readAll(t, mustDecoder(t, "Email\na@example.com\n", opts))
	e := rows[0].Event
	if rows[0].Err != nil || e.Type != "purchase" || e.Channel != "service" || !e.OccurredAt.Equal(day("2026-03-04")) {
		t.Fatalf("row = %v %+v", rows[0].Err, e)
	}
}

// Starting at a row's Next position yields the same rows, with the same
// line numbers, as reading through: the checkpoint's resume point.
func TestDecoder_StartResumesAtRowBoundary(t *testing.T) {
	in := "\xef\xbb\xbfEmail,Note,Date\r\na@example.com,\"multi\r\nline\",2026-01-01\r\n\r\nb@example.com,x,2026-01-02\r\nbad,y,2026-01-03\r\nc@example.com,z,2026-01-04\r\n"
	all := readAll(t, mustDecoder(t, in, testOptions()))
	if len(all) != 4 || all[1].Line != 5 || all[2].Line != 6 || all[3].Line != 7 {
		t.Fatalf("lines: %+v", all)
	}
	for i := range all[:3] {
		opts := testOptions()
		opts.Start = all[i].Next
		rest := readAll(t, mustDecoder(t, in, opts))
		if len(rest) != len(all)-i-1 {
			t.Fatalf("from row %d: %d rows, want %d", i, len(rest), len(all)-i-1)
		}
		for j, r := range rest {
			want := all[i+1+j]
			if r.Line != want.Line || r.Event.ID != want.Event.ID || (r.Err == nil) != (want.Err == nil) || r.Next != want.Next {
				t.Errorf("from row %d, row %d = line %d id %s next %+v; want line %d id %s next %+v", i, j, r.Line, r.Event.ID, r.Next, want.Line, want.Event.ID, want.Next)
			}
		}
	}
}
