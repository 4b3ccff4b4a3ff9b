package csvimport

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
)

// ReportSuffix is added to the input's path to name its rejected-rows
// report.
const ReportSuffix = ".rejected.csv"

// WarningsSuffix is added to the input's path to name its warnings
// report: rows recorded without hints the server dropped because they do
// not normalise, in the rejected-rows report's layout, one line per row.
// Fix those hints at the source: the rows themselves are in.
const WarningsSuffix = ".warnings.csv"

// reportColumns come before the rejected row's own columns. None of them
// maps to an event field, so a fixed report can be imported again as is.
var reportColumns = []string{"line", "column", "field", "reason"}

// report writes rejected rows as CSV (UTF-8 with a BOM, which Excel
// needs): line, column, field, reason, then the row's own fields.
type report struct {
	path string
	file *os.File
	buf  *bufio.Writer
	csv  *csv.Writer
	rows int
	lost bool // a resumed run found the report shorter than its checkpoint
}

// openReport starts a new report, or, when resuming, continues one cut
// back to keep bytes (dropping rows written after the last checkpoint,
// which the resumed run reads again).
func openReport(path string, header []string, keep int64) (*report, error) {
	flags := os.O_CREATE | os.O_WRONLY
	if keep == 0 {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the report %s: %w", path, err)
	}
	r := &report{path: path, file: f}
	want := keep
	if keep, err = r.position(keep); err != nil {
		f.Close()
		return nil, err
	}
	r.lost = keep < want
	r.buf = bufio.NewWriter(f)
	r.csv = csv.NewWriter(r.buf)
	if keep == 0 {
		_, _ = r.buf.Write(utf8BOM)
		_ = r.csv.Write(append(append([]string{}, reportColumns...), header...))
	}
	return r, nil
}

// position cuts the report back to keep bytes and moves to its end. A
// report shorter than that (deleted, or overwritten by a dry run) starts
// over: keep becomes 0.
func (r *report) position(keep int64) (int64, error) {
	info, err := r.file.Stat()
	if err != nil {
		return 0, err
	}
	if info.Size() < keep {
		keep = 0
	}
	if err := r.file.Truncate(keep); err != nil {
		return 0, fmt.Errorf("cut the rejected-rows report back: %w", err)
	}
	_, err = r.file.Seek(keep, io.SeekStart)
	return keep, err
}

// add writes one rejected row.
func (r *report) add(e *RowError, record []string) {
	row := append([]string{strconv.Itoa(e.Line), e.Column, e.Field, e.Reason}, record...)
	_ = r.csv.Write(row) // errors stick in the writer; flush reports them
	r.rows++
}

// flush writes buffered rows to the file and returns its size.
func (r *report) flush() (int64, error) {
	r.csv.Flush()
	if err := r.csv.Error(); err != nil {
		return 0, fmt.Errorf("write the rejected-rows report: %w", err)
	}
	if err := r.file.Sync(); err != nil {
		return 0, fmt.Errorf("write the rejected-rows report: %w", err)
	}
	return r.file.Seek(0, io.SeekCurrent)
}

// close flushes the report; it removes it when the whole import reported
// no row in it.
func (r *report) close(rows int) error {
	_, err := r.flush()
	if cerr := r.file.Close(); err == nil {
		err = cerr
	}
	if rows == 0 {
		_ = os.Remove(r.path)
	}
	return err
}
