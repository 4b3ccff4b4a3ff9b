package csvimport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// fakeHub prepares events and dedups them by (source, id) like the hub,
// and can fail on cue.
type fakeHub struct {
	stored  map[string]int // event key → times created (always 1)
	posts   int
	failAt  int   // post number that fails with failErr (0: never)
	failErr error // the failure
	commit  bool  // the failing post commits before failing
	reject  string
}

func newFakeHub() *fakeHub { return &fakeHub{stored: map[string]int{}} }

func (h *fakeHub) Post(_ context.Context, raws []json.RawMessage) ([]customer.EventResult, error) {
	h.posts++
	failing := h.posts == h.failAt
	if failing && !h.commit {
		return nil, h.failErr
	}
	results := make([]customer.EventResult, len(raws))
	for i, raw := range raws {
		var e customer.Event
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, err
		}
		results[i] = h.ingest(e)
	}
	if failing {
		return nil, h.failErr
	}
	return results, nil
}

func (h *fakeHub) ingest(e customer.Event) customer.EventResult {
	if h.reject != "" && e.Customer.Email == h.reject {
		return customer.EventResult{ID: e.ID, Status: customer.StatusRejected, Field: "customer.email", Reason: "is on the block list"}
	}
	warnings, err := e.Prepare("US")
	if err != nil {
		fe := customer.AsFieldError(err)
		return customer.EventResult{ID: e.ID, Status: customer.StatusRejected, Field: fe.Field, Reason: fe.Reason}
	}
	if h.stored[e.Key()] > 0 {
		return customer.EventResult{ID: e.ID, Status: customer.StatusDuplicate, Warnings: warnings}
	}
	h.stored[e.Key()]++
	return customer.EventResult{ID: e.ID, Status: customer.StatusCreated, Warnings: warnings}
}

// writeFile writes rows customers to a CSV in a temporary directory; the
// row on line badLine has a date that is none.
func writeFile(t *testing.T, rows, badLine int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("Email,Date,Note\n")
	for i := range rows {
		date := fmt.Sprintf("2026-01-%02d", 1+i%28)
		if i+2 == badLine {
			date = "someday"
		}
		fmt.Fprintf(&b, "c%d@example.com,%s,row %d\n", i, date, i)
	}
	path := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func testConfig(path string) Config {
	return Config{
		Path: path, Decode: testOptions(), Batch: 10,
		Retry: Retry{Sleep: func(context.Context, time.Duration) error { return nil }},
	}
}

// An interrupted import resumes from its checkpoint and, with the run
// that follows it, stores every row exactly once; a later rerun creates
// nothing.
func TestRun_ResumesAfterInterruptionWithoutDuplicates(t *testing.T) {
	for _, commit := range []bool{false, true} {
		t.Run(fmt.Sprintf("failed batch committed=%v", commit), func(t *testing.T) {
			path := writeFile(t, 95, 40)
			hub := newFakeHub()
			hub.failAt, hub.failErr, hub.commit = 5, errors.New("connection reset"), commit
			first, err := Run(context.Background(), testConfig(path), hub)
			if err == nil || first.Created != 40 {
				t.Fatalf("first run: %+v, %v; want an error after 4 batches", first.Counts, err)
			}
			if _, err := os.Stat(path + CheckpointSuffix); err != nil {
				t.Fatalf("no checkpoint after the interruption: %v", err)
			}
			var notices bytes.Buffer
			cfg := testConfig(path)
			cfg.Notices = &notices
			second, err := Run(context.Background(), cfg, hub)
			if err != nil || !second.Resumed || second.Rows != 95 || second.Rejected != 1 || second.Created+second.Duplicate != 94 {
				t.Fatalf("resumed run: %+v resumed=%v, %v", second.Counts, second.Resumed, err)
			}
			if !strings.Contains(notices.String(), "resuming the interrupted import at line 43") {
				t.Errorf("notices: %s", notices.String())
			}
			if len(hub.stored) != 94 {
				t.Fatalf("hub holds %d events, want 94", len(hub.stored))
			}
			checkReportLines(t, path+ReportSuffix, "40,Date,occurred_at,\"is not a date: use RFC 3339, YYYY-MM-DD[ HH:MM[:SS]] or DD.MM.YYYY[ HH:MM[:SS]]\",c38@example.com,someday,row 38")
			if _, err := os.Stat(path + CheckpointSuffix); !os.IsNotExist(err) {
				t.Errorf("checkpoint left after a complete run: %v", err)
			}
			again, err := Run(context.Background(), testConfig(path), hub)
			if err != nil || again.Resumed || again.Created != 0 || again.Duplicate != 94 || again.Rejected != 1 {
				t.Fatalf("rerun: %+v, %v", again.Counts, err)
			}
		})
	}
}

// checkReportLines wants the report to hold exactly these rows.
func checkReportLines(t *testing.T, path string, rows ...string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(b), "\ufeff")), "\n")
	if lines[0] != "line,column,field,reason,Email,Date,Note" {
		t.Errorf("report header %q", lines[0])
	}
	for i, want := range rows {
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], want) {
			t.Errorf("report row %d = %q, want %q...", i+1, lines[min(i+1, len(lines)-1)], want)
		}
	}
	if len(lines)-1 != len(rows) {
		t.Errorf("report has %d rows, want %d:\n%s", len(lines)-1, len(rows), b)
	}
}

// Retryable failures are retried with growing waits; other failures end
// the run at once.
func TestRun_RetriesRetryableErrors(t *testing.T) {
	path := writeFile(t, 5, 0)
	hub := newFakeHub()
	calls := 0
	flaky := PosterFunc(func(ctx context.Context, raws []json.RawMessage) ([]customer.EventResult, error) {
		if calls++; calls <= 3 {
			return nil, fmt.Errorf("%w: 503", ErrRetryable)
		}
		return hub.Post(ctx, raws)
	})
	var waits []time.Duration
	cfg := testConfig(path)
	cfg.Retry = Retry{Backoff: time.Second, MaxWait: 3 * time.Second, Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	sum, err := Run(context.Background(), cfg, flaky)
	if err != nil || sum.Created != 5 || fmt.Sprint(waits) != "[1s 2s 3s]" {
		t.Fatalf("run: %+v %v, waits %v", sum.Counts, err, waits)
	}
	cfg.Retry.Attempts, calls = 2, -10
	cfg.Restart = true
	if _, err := Run(context.Background(), cfg, flaky); !errors.Is(err, ErrRetryable) {
		t.Fatalf("after 2 attempts: %v, want the retryable error", err)
	}
}

// Rows the server rejects go to the report with their line numbers; a
// batch refused as a whole is sent event by event to find them.
func TestRun_ReportsServerRejections(t *testing.T) {
	path := writeFile(t, 25, 0)
	hub := newFakeHub()
	hub.reject = "c13@example.com"
	wholesale := PosterFunc(func(ctx context.Context, raws []json.RawMessage) ([]customer.EventResult, error) {
		if len(raws) > 1 && bytes.Contains(envelopeOf(raws), []byte(hub.reject)) {
			return nil, fmt.Errorf("%w: %w", ErrBatchRejected, &customer.FieldError{Field: "customer.email", Reason: "is on the block list"})
		}
		if len(raws) == 1 && bytes.Contains(raws[0], []byte(hub.reject)) {
			return nil, fmt.Errorf("%w: %w", ErrBatchRejected, &customer.FieldError{Field: "customer.email", Reason: "is on the block list"})
		}
		return hub.Post(ctx, raws)
	})
	for name, poster := range map[string]Poster{"per-event results": hub, "whole batch refused": wholesale} {
		t.Run(name, func(t *testing.T) {
			clear(hub.stored)
			cfg := testConfig(path)
			cfg.Restart = true
			sum, err := Run(context.Background(), cfg, poster)
			if err != nil || sum.Created != 24 || sum.Rejected != 1 || sum.Report == "" {
				t.Fatalf("run: %+v, report %q, %v", sum.Counts, sum.Report, err)
			}
			checkReportLines(t, sum.Report, "15,Email,customer.email,")
		})
	}
}

// Hints the server drops are listed, one line per row, in the warnings
// report, which survives an interruption like the rejected-rows report;
// a row the server rejects because none of its hints is valid goes to
// the rejected rows.
func TestRun_ReportsDroppedHints(t *testing.T) {
	var b strings.Builder
	b.WriteString("Email,Phone,First Name,Date\n")
	for i := range 30 {
		email, phone, name := fmt.Sprintf("w%d@example.com", i), fmt.Sprintf("(312) 555-01%02d", i), "Ann"
		switch i {
		case 4: // line 6
			phone = "call me"
		case 14: // line 16
			email, phone = "w14 at example.com", "n/a"
		case 24: // line 26
			email, phone, name = "none", "", ""
		}
		fmt.Fprintf(&b, "%s,%s,%s,2026-01-02\n", email, phone, name)
	}
	path := filepath.Join(t.TempDir(), "hints.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	hub := newFakeHub()
	hub.failAt, hub.failErr = 2, errors.New("connection reset")
	if _, err := Run(context.Background(), testConfig(path), hub); err == nil {
		t.Fatal("first run did not fail")
	}
	sum, err := Run(context.Background(), testConfig(path), hub)
	if err != nil || !sum.Resumed || sum.Created != 29 || sum.Rejected != 1 || sum.Warned != 2 || sum.Warnings != path+WarningsSuffix {
		t.Fatalf("resumed run: %+v, warnings %q, %v", sum.Counts, sum.Warnings, err)
	}
	report, err := os.ReadFile(sum.Warnings)
	if err != nil {
		t.Fatal(err)
	}
	want := "line,column,field,reason,Email,Phone,First Name,Date\n" +
		"6,Phone,customer.phone,is not a valid phone number (read as a number of US when it has no country code),w4@example.com,call me,Ann,2026-01-02\n" +
		"16,Email; Phone,customer.email; customer.phone,is not an email address; is not a valid phone number (read as a number of US when it has no country code),w14 at example.com,n/a,Ann,2026-01-02\n"
	if got := strings.TrimPrefix(string(report), "\ufeff"); got != want {
		t.Errorf("warnings report:\n%s\nwant:\n%s", got, want)
	}
	rejected, _ := os.ReadFile(sum.Report)
	if !strings.Contains(string(rejected), "\n26,,customer,has no valid identity hint: customer.email is not an email address,none,,,2026-01-02\n") {
		t.Errorf("rejected-rows report:\n%s", rejected)
	}
	clean := filepath.Join(t.TempDir(), "clean.csv")
	if err := os.WriteFile(clean, []byte("Email,Date\na@example.com,2026-01-02\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if sum, err := Run(context.Background(), testConfig(clean), hub); err != nil || sum.Warnings != "" {
		t.Errorf("clean run: %+v %q %v", sum.Counts, sum.Warnings, err)
	}
	if _, err := os.Stat(clean + WarningsSuffix); !os.IsNotExist(err) {
		t.Errorf("a run without warnings left a warnings report: %v", err)
	}
}

// A checkpoint made for another version of the file is refused, and
// --restart starts over; the report keeps only rows up to the checkpoint.
func TestRun_RefusesCheckpointOfChangedFile(t *testing.T) {
	path := writeFile(t, 30, 3)
	hub := newFakeHub()
	hub.failAt, hub.failErr = 2, errors.New("boom")
	if _, err := Run(context.Background(), testConfig(path), hub); err == nil {
		t.Fatal("first run did not fail")
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), testConfig(path), hub); !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), "--restart") {
		t.Fatalf("resume of a changed file: %v, want ErrCheckpoint naming --restart", err)
	}
	cfg := testConfig(path)
	cfg.Restart = true
	sum, err := Run(context.Background(), cfg, hub)
	if err != nil || sum.Resumed || sum.Rows != 30 || sum.Rejected != 1 {
		t.Fatalf("restart: %+v resumed=%v %v", sum.Counts, sum.Resumed, err)
	}
	checkReportLines(t, path+ReportSuffix, "3,Date,occurred_at,")
}

// A dry run checks every row and sends nothing, and keeps no checkpoint.
func TestRun_DryRunSendsNothing(t *testing.T) {
	path := writeFile(t, 12, 5)
	hub := newFakeHub()
	cfg := testConfig(path)
	cfg.DryRun = true
	sum, err := Run(context.Background(), cfg, hub)
	if err != nil || hub.posts != 0 || sum.Rows != 12 || sum.Rejected != 1 {
		t.Fatalf("dry run: %+v, %d posts, %v", sum.Counts, hub.posts, err)
	}
	if _, err := os.Stat(path + CheckpointSuffix); !os.IsNotExist(err) {
		t.Errorf("dry run left a checkpoint: %v", err)
	}
	checkReportLines(t, path+ReportSuffix, "5,Date,occurred_at,")
}

// Batches stay under the API's body limit however long the rows are.
func TestRun_BatchesStayUnderTheBodyLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("Email,Date,Note\n")
	for i := range 600 {
		fmt.Fprintf(&b, "c%d@example.com,2026-01-01,%s\n", i, strings.Repeat("n", 4000))
	}
	path := filepath.Join(t.TempDir(), "long.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	hub := newFakeHub()
	biggest := 0
	measure := PosterFunc(func(ctx context.Context, raws []json.RawMessage) ([]customer.EventResult, error) {
		biggest = max(biggest, len(envelopeOf(raws)))
		return hub.Post(ctx, raws)
	})
	cfg := testConfig(path)
	cfg.Batch = 1000
	sum, err := Run(context.Background(), cfg, measure)
	if err != nil || sum.Created != 600 || biggest > MaxBatchBytes || hub.posts < 3 {
		t.Fatalf("run: %+v, %d posts, biggest %d bytes, %v", sum.Counts, hub.posts, biggest, err)
	}
}

// Progress shows rows, rate, share of bytes, rejections and an ETA.
func TestProgress_Describe(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	p := newProgress(&out, false, func() time.Time { return now }, 4<<20, Position{}, 0)
	now = now.Add(10 * time.Second)
	p.update(Counts{Rows: 12345, Rejected: 2}, Position{Offset: 1 << 20}, false)
	want := "12,345 rows (1,234 rows/s), 25% of 4.0 MiB, 2 rejected, ETA 30s\n"
	if out.String() != want {
		t.Fatalf("progress = %q, want %q", out.String(), want)
	}
	p.update(Counts{Rows: 12346}, Position{Offset: 1 << 20}, false)
	if out.String() != want {
		t.Errorf("updated again within the interval: %q", out.String())
	}
}

// envelopeOf is the request body the events would make.
func envelopeOf(raws []json.RawMessage) []byte {
	b, _ := json.Marshal(map[string]any{"events": raws})
	return b
}

// On a terminal the line is rewritten in place, blanking a longer one.
func TestProgress_TerminalRewritesLine(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	p := newProgress(&out, true, func() time.Time { return now }, 100, Position{}, 0)
	now = now.Add(time.Second)
	p.update(Counts{Rows: 1000, Rejected: 1000}, Position{Offset: 50}, false)
	first := out.Len()
	p.update(Counts{Rows: 1000}, Position{Offset: 100}, true)
	got := out.String()[first:]
	if !strings.HasPrefix(got, "\r1,000 rows") || !strings.HasSuffix(got, "   \n") || len(got) < first {
		t.Fatalf("final update %q after %q", got, out.String()[:first])
	}
}

// A resumed run whose report was deleted starts a new one instead of
// padding it to the checkpoint's size.
func TestRun_ResumeWithoutReportStartsNewOne(t *testing.T) {
	path := writeFile(t, 60, 3)
	hub := newFakeHub()
	hub.failAt, hub.failErr = 3, errors.New("boom")
	if _, err := Run(context.Background(), testConfig(path), hub); err == nil {
		t.Fatal("first run did not fail")
	}
	if err := os.Remove(path + ReportSuffix); err != nil {
		t.Fatal(err)
	}
	var notices bytes.Buffer
	cfg := testConfig(path)
	cfg.Notices = &notices
	sum, err := Run(context.Background(), cfg, hub)
	if err != nil || !sum.Resumed || sum.Rejected != 1 || !strings.Contains(notices.String(), "was missing or cut short") {
		t.Fatalf("resumed: %+v %v\n%s", sum.Counts, err, notices.String())
	}
	checkReportLines(t, path+ReportSuffix)
}
