package csvimport

import (
	"errors"
	"fmt"
)

// Errors a caller may test for with errors.Is.
var (
	// ErrHeader is wrapped by every problem with the header line or the
	// column mapping; nothing was imported.
	ErrHeader = errors.New("csv header")
	// ErrEncoding is wrapped when the file's encoding is not supported.
	ErrEncoding = errors.New("csv encoding")
	// ErrRowTooLong is wrapped when a row exceeds Limits.MaxRowBytes; the
	// rest of the file cannot be read reliably.
	ErrRowTooLong = errors.New("csv row too long")
	// ErrCheckpoint is wrapped when a checkpoint does not fit the file.
	ErrCheckpoint = errors.New("import checkpoint")
	// ErrRetryable is wrapped by a Poster's error when the batch was not
	// committed and sending it again may succeed (503, network errors).
	ErrRetryable = errors.New("retryable")
	// ErrBatchRejected is wrapped by a Poster's error when the server
	// rejected the whole batch without a result per event; the driver
	// then posts the batch's events one by one to find the bad ones. The
	// error may also wrap a *customer.FieldError naming the field.
	ErrBatchRejected = errors.New("batch rejected")
)

// RowError says why one row could not become an event.
type RowError struct {
	Line   int    // 1-based line number where the row starts
	Column string // header name of the offending column, or "" for the row
	Field  string // event field (JSON path) when known
	Reason string
}

func (e *RowError) Error() string {
	where := fmt.Sprintf("line %d", e.Line)
	if e.Column != "" {
		where += fmt.Sprintf(", column %q", e.Column)
	}
	if e.Field != "" && e.Field != e.Column {
		where += " (" + e.Field + ")"
	}
	return where + ": " + e.Reason
}

func headerErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrHeader, fmt.Sprintf(format, args...))
}
