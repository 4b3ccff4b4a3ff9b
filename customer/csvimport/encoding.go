package csvimport

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Encoding is the text encoding of a CSV file.
type Encoding int

// The encodings a file may have. EncodingAuto asks DetectEncoding.
const (
	EncodingAuto Encoding = iota
	EncodingUTF8
	EncodingWindows1252
)

// SampleBytes is how much of the file's start DetectEncoding looks at.
const SampleBytes = 64 << 10

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ParseEncoding reads an --encoding value: auto, utf-8 or windows-1252.
func ParseEncoding(s string) (Encoding, error) {
	switch strings.ToLower(strings.ReplaceAll(s, "_", "-")) {
	case "", "auto":
		return EncodingAuto, nil
	case "utf-8", "utf8":
		return EncodingUTF8, nil
	case "windows-1252", "cp1252", "latin1", "iso-8859-1":
		return EncodingWindows1252, nil
	}
	return EncodingAuto, fmt.Errorf("%w: %q is not auto, utf-8 or windows-1252", ErrEncoding, s)
}

func (e Encoding) String() string {
	switch e {
	case EncodingUTF8:
		return "utf-8"
	case EncodingWindows1252:
		return "windows-1252"
	}
	return "auto"
}

// DetectEncoding decides a file's encoding from sample, its first bytes
// (up to SampleBytes; atEOF says the sample is the whole file), and
// returns the length of a byte-order mark to skip.
//
// The rule: a UTF-8 BOM means UTF-8. A UTF-16 BOM, or a NUL byte in the
// sample, is refused: dealer systems that write UTF-16 can also write
// UTF-8. Otherwise a sample that is valid UTF-8 (ignoring a rune cut off
// at the sample's end) is UTF-8, and anything else is Windows-1252, the
// encoding of Excel and most DMS exports on Windows; Windows-1252 text is
// almost never valid UTF-8 by accident, since its accented letters are
// single bytes above 0x7F that UTF-8 only allows in sequences. A file
// whose first 64 KiB are plain ASCII but which has Windows-1252 letters
// later is read as UTF-8; those rows are then rejected as "not valid
// UTF-8", and --encoding windows-1252 imports them.
func DetectEncoding(sample []byte, atEOF bool) (Encoding, int, error) {
	switch {
	case bytes.HasPrefix(sample, utf8BOM):
		return EncodingUTF8, len(utf8BOM), nil
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}), bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		return EncodingAuto, 0, fmt.Errorf("%w: the file is UTF-16; save it as UTF-8 or Windows-1252 (CSV in Excel)", ErrEncoding)
	case bytes.IndexByte(sample, 0) >= 0:
		return EncodingAuto, 0, fmt.Errorf("%w: the file has NUL bytes: it is not a text CSV (UTF-16 without a BOM?)", ErrEncoding)
	}
	if !atEOF {
		sample = trimPartialRune(sample)
	}
	if utf8.Valid(sample) {
		return EncodingUTF8, 0, nil
	}
	return EncodingWindows1252, 0, nil
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

// cp1252 maps each Windows-1252 byte to its rune.
var cp1252 = func() (t [256]rune) {
	for i := range t {
		t[i] = charmap.Windows1252.DecodeByte(byte(i))
	}
	return t
}()

// decodeWindows1252 converts one field read as raw bytes to UTF-8. The
// CSV is parsed before decoding: Windows-1252 is single-byte and keeps
// ASCII, so quotes, delimiters and newlines are the same bytes, and byte
// offsets in the file stay exact for resuming.
func decodeWindows1252(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); i++ {
		b.WriteRune(cp1252[s[i]])
	}
	return b.String()
}

// delimiters are the separators detectDelimiter considers, best first on
// a tie.
var delimiters = []byte{',', ';', '\t', '|'}

// detectDelimiter picks the separator that occurs most often outside
// quotes on the header line; European Excel writes ';'.
func detectDelimiter(sample []byte) rune {
	if i := bytes.IndexByte(sample, '\n'); i >= 0 {
		sample = sample[:i]
	}
	counts := map[byte]int{}
	quoted := false
	for _, c := range sample {
		if c == '"' {
			quoted = !quoted
		} else if !quoted {
			counts[c]++
		}
	}
	best := delimiters[0]
	for _, d := range delimiters[1:] {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return rune(best)
}
