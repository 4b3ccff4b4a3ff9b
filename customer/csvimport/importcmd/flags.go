package importcmd

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
	_ "time/tzdata" // --tz on Windows PCs without a zone database

	"github.com/spf13/pflag"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/customer/csvimport"
	"github.com/touchpoint/touchpoint/internal/cli"
)

// Flags are an import command's own flags.
type Flags struct {
	source, mapping, typ, channel, date, tz, encoding, delimiter string
	batch                                                        int
	restart, dryRun, quiet                                       bool
}

// Usage is the import command's synopsis, the same in both binaries.
const Usage = `import FILE [--source NAME] [--map "Column=field,..."] [--type T] [--channel C] [--date D] [--batch 500] [--restart] [--dry-run]`

// File returns the one CSV file the command line names.
func File(fs *pflag.FlagSet) (string, error) {
	if fs.NArg() != 1 {
		return "", cli.UsageError("give one CSV file to import")
	}
	return fs.Arg(0), nil
}

// AddFlags adds the import flags to fs.
func AddFlags(fs *pflag.FlagSet) *Flags {
	f := &Flags{}
	fs.StringVar(&f.source, "source", "", "name of the import, events get source import:NAME (default: the file's base name)")
	fs.StringVar(&f.mapping, "map", "", `column mapping overriding the built-in header names, "Column=field,Other=attribute.name,Unused=-"`)
	fs.StringVar(&f.typ, "type", "contact_updated", "event type of rows without a type column")
	fs.StringVar(&f.channel, "channel", "showroom", "channel of rows without a channel column ("+strings.Join(customer.Channels, ", ")+")")
	fs.StringVar(&f.date, "date", "", "date of rows without a date column or value (YYYY-MM-DD or RFC 3339); default: the file must have one")
	fs.StringVar(&f.tz, "tz", "UTC", "time zone of dates written without one, e.g. Europe/Berlin")
	fs.StringVar(&f.encoding, "encoding", "auto", "file encoding: auto, utf-8 or windows-1252")
	fs.StringVar(&f.delimiter, "delimiter", "", `field separator (default: detected from the header: , ; tab or |)`)
	fs.IntVar(&f.batch, "batch", 500, fmt.Sprintf("events per request (at most %d)", csvimport.MaxBatchEvents))
	fs.BoolVar(&f.restart, "restart", false, "ignore the checkpoint of an interrupted import and start from the first row")
	fs.BoolVar(&f.dryRun, "dry-run", false, "read and check every row, send nothing")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress display")
	return f
}

// options turns the flags into the decoder's options for file.
func (f *Flags) options(file string) (csvimport.Options, error) {
	var o csvimport.Options
	var err error
	if o.Source, err = sourceName(f.source, file); err != nil {
		return o, err
	}
	if o.Map, err = csvimport.ParseMapping(f.mapping); err != nil {
		return o, err
	}
	if o.Encoding, err = csvimport.ParseEncoding(f.encoding); err != nil {
		return o, err
	}
	if o.Delimiter, err = delimiter(f.delimiter); err != nil {
		return o, err
	}
	o.Defaults, err = f.defaults()
	return o, err
}

func (f *Flags) defaults() (csvimport.Defaults, error) {
	d := csvimport.Defaults{Type: f.typ, Channel: f.channel}
	loc, err := time.LoadLocation(f.tz)
	if err != nil {
		return d, fmt.Errorf("--tz %q: %w", f.tz, err)
	}
	d.Location = loc
	if f.date != "" {
		t, ok := csvimport.ParseTime(f.date, loc)
		if !ok {
			return d, fmt.Errorf("--date %q: use YYYY-MM-DD or RFC 3339", f.date)
		}
		d.OccurredAt = t
	}
	return d, nil
}

func delimiter(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case `\t`, "tab", "\t":
		return '\t', nil
	case ",", ";", "|":
		return rune(s[0]), nil
	}
	return 0, fmt.Errorf("--delimiter %q: use , ; | or tab", s)
}

// maxSourceName leaves room for "import:" within customer.MaxSourceLen.
const maxSourceName = 64

// sourceName is import:NAME for --source NAME (or import:NAME), or
// derived from the file's base name: lower case, other characters than
// letters, digits, '.', '_' and '-' replaced by '-'.
func sourceName(flag, file string) (string, error) {
	name := strings.TrimPrefix(flag, "import:")
	if name == "" {
		base := filepath.Base(file)
		name = cleanName(strings.TrimSuffix(base, filepath.Ext(base)))
	}
	if name == "" || len(name) > maxSourceName {
		return "", fmt.Errorf("--source %q: give a name of 1-%d characters", name, maxSourceName)
	}
	return "import:" + name, nil
}

func cleanName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
		if b.Len() >= maxSourceName {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}
