package csvimport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/touchpoint/touchpoint/customer"
)

// importRun is one run of Run: the decoder, the batch being filled, the
// report and the checkpoint.
type importRun struct {
	cfg      Config
	poster   Poster
	dec      *Decoder
	report   *report
	warnings *report // rows recorded without hints the server dropped
	cpPath   string
	fp       Fingerprint
	counts   Counts
	saved    Counts // counts at the last checkpoint
	batch    batch
	progress *progress
	summary  Summary
}

// batch holds the events of rows read since the last commit, with what
// the report needs if the server rejects one.
type batch struct {
	events  []json.RawMessage
	lines   []int
	records [][]string
	bytes   int
}

func (b *batch) reset() {
	clear(b.records) // drop references so the old rows can be freed
	b.events, b.lines, b.records, b.bytes = b.events[:0], b.lines[:0], b.records[:0], 0
}

func newImport(cfg Config, f *os.File, poster Poster) (*importRun, error) {
	r := &importRun{cfg: cfg, poster: poster, cpPath: cfg.Path + CheckpointSuffix}
	fp, err := fingerprint(f)
	if err != nil {
		return nil, err
	}
	r.fp = fp
	cp, err := r.checkpoint()
	if err != nil {
		return nil, err
	}
	opts := cfg.Decode
	keep, keepWarnings := int64(0), int64(0)
	if cp != nil {
		opts.Start, r.counts, keep, keepWarnings = cp.Next, cp.Counts, cp.ReportBytes, cp.WarningsBytes
		r.saved = cp.Counts
		r.summary.Resumed = true
	}
	if r.dec, err = NewDecoder(f, opts); err != nil {
		return nil, err
	}
	r.summary.Committed = r.dec.Position()
	r.summary.From, r.summary.Encoding, r.summary.Delimiter = r.dec.Position(), r.dec.Encoding(), r.dec.Delimiter()
	if r.report, err = openReport(cfg.Path+ReportSuffix, r.dec.Header(), keep); err != nil {
		return nil, err
	}
	if r.warnings, err = openReport(cfg.Path+WarningsSuffix, r.dec.Header(), keepWarnings); err != nil {
		_ = r.report.file.Close()
		return nil, err
	}
	r.progress = newProgress(cfg.Progress, cfg.Terminal, cfg.Now, fp.Size, r.dec.Position(), r.counts.Rows)
	r.notices(cp)
	return r, nil
}

// checkpoint loads the checkpoint a rerun resumes from, if any applies.
func (r *importRun) checkpoint() (*Checkpoint, error) {
	if r.cfg.Restart || r.cfg.DryRun {
		return nil, nil
	}
	cp, err := loadCheckpoint(r.cpPath)
	if err != nil || cp == nil {
		return nil, err
	}
	return cp, cp.checkFits(r.cfg.Path, r.fp, r.cfg.Decode.Source)
}

func (r *importRun) notices(cp *Checkpoint) {
	w := r.cfg.Notices
	fmt.Fprintf(w, "reading %s as %s, columns separated by %q\n", r.cfg.Path, r.dec.Encoding(), r.dec.Delimiter())
	if ignored := r.dec.Ignored(); len(ignored) > 0 {
		fmt.Fprintf(w, "ignoring columns %s: map them with --map \"Column=field\" or \"Column=attribute.name\"\n", quoteList(ignored))
	}
	for _, rep := range []*report{r.report, r.warnings} {
		if rep.lost {
			fmt.Fprintf(w, "warning: %s was missing or cut short: the rows it listed before line %d are not in the new one\n", rep.path, cp.Next.Line)
		}
	}
	if cp != nil {
		fmt.Fprintf(w, "resuming the interrupted import at line %d (%d rows done; --restart starts over)\n", cp.Next.Line, cp.Counts.Rows)
	}
}

// run reads every row, committing full batches, then finishes.
func (r *importRun) run(ctx context.Context) (Summary, error) {
	start, startRows := r.cfg.Now(), r.counts.Rows
	err := r.loop(ctx)
	r.progress.update(r.counts, r.dec.Position(), true)
	r.summary.Read = r.counts.Rows - startRows
	r.summary.Counts = r.counts
	if err == nil {
		err = r.finish()
	} else {
		_ = r.report.file.Close()
		_ = r.warnings.file.Close()
		r.summary.Counts = r.saved
	}
	r.summary.Elapsed = r.cfg.Now().Sub(start)
	return r.summary, err
}

func (r *importRun) loop(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, err := r.dec.Next()
		if err == io.EOF {
			return r.commit(ctx)
		}
		if err != nil {
			if cerr := r.commit(ctx); cerr != nil {
				return errors.Join(err, cerr)
			}
			return err
		}
		if err := r.add(ctx, row); err != nil {
			return err
		}
	}
}

// add puts a row into the batch, or the report, and commits a full batch.
func (r *importRun) add(ctx context.Context, row Row) error {
	r.counts.Rows++
	if row.Err != nil {
		r.counts.Rejected++
		r.report.add(row.Err, row.Record)
		r.progress.update(r.counts, row.Next, false)
		return nil
	}
	e := row.Event
	if r.cfg.Outgoing != nil {
		r.cfg.Outgoing(&e)
	}
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode the event of line %d: %w", row.Line, err)
	}
	size := len(body) + rowBytes(row.Record)
	if len(r.batch.events) > 0 && r.batch.bytes+size > MaxBatchBytes {
		if err := r.commit(ctx); err != nil {
			return err
		}
	}
	r.batch.events = append(r.batch.events, body)
	r.batch.lines = append(r.batch.lines, row.Line)
	r.batch.records = append(r.batch.records, append([]string(nil), row.Record...))
	r.batch.bytes += size
	if len(r.batch.events) >= r.cfg.Batch {
		return r.commit(ctx)
	}
	r.progress.update(r.counts, row.Next, false)
	return nil
}

func rowBytes(record []string) int {
	n := 0
	for _, f := range record {
		n += len(f) + 1
	}
	return n
}

// commit posts the batch, reports what the server rejected, and saves a
// checkpoint covering every row read so far.
func (r *importRun) commit(ctx context.Context) error {
	if len(r.batch.events) > 0 && !r.cfg.DryRun {
		results, err := r.post(ctx, r.batch.events)
		if err != nil {
			return fmt.Errorf("post the rows of lines %d-%d: %w", r.batch.lines[0], r.batch.lines[len(r.batch.lines)-1], err)
		}
		r.tally(results)
	}
	r.batch.reset()
	size, err := r.report.flush()
	if err != nil {
		return err
	}
	warningsSize, err := r.warnings.flush()
	if err != nil {
		return err
	}
	r.progress.update(r.counts, r.dec.Position(), false)
	if r.cfg.DryRun {
		return nil
	}
	cp := Checkpoint{Version: checkpointVersion, File: r.fp, Source: r.cfg.Decode.Source, Next: r.dec.Position(), Counts: r.counts, ReportBytes: size, WarningsBytes: warningsSize}
	if err := cp.save(r.cpPath); err != nil {
		return err
	}
	r.summary.Committed, r.saved = cp.Next, r.counts
	return nil
}

// post sends the batch; when the server refuses it as a whole, it sends
// each event alone so that only the bad ones are rejected.
func (r *importRun) post(ctx context.Context, events []json.RawMessage) ([]customer.EventResult, error) {
	results, err := r.cfg.Retry.post(ctx, r.poster, events)
	if !errors.Is(err, ErrBatchRejected) || len(events) == 1 {
		return results, err
	}
	results = make([]customer.EventResult, len(events))
	for i := range events {
		one, err := r.cfg.Retry.post(ctx, r.poster, events[i:i+1])
		switch {
		case errors.Is(err, ErrBatchRejected):
			results[i] = refused(err)
		case err != nil:
			return nil, err
		default:
			results[i] = one[0]
		}
	}
	return results, nil
}

// refused is the result of an event the server refused without a
// result: the field and reason when the error carries a
// *customer.FieldError, else the error's text.
func refused(err error) customer.EventResult {
	var fe *customer.FieldError
	if errors.As(err, &fe) {
		return customer.EventResult{Status: customer.StatusRejected, Field: fe.Field, Reason: fe.Reason}
	}
	return customer.EventResult{Status: customer.StatusRejected, Reason: strings.TrimPrefix(err.Error(), ErrBatchRejected.Error()+": ")}
}

// tally counts the results and reports rejected events and the rows
// recorded with warnings.
func (r *importRun) tally(results []customer.EventResult) {
	for i, res := range results {
		switch res.Status {
		case customer.StatusCreated:
			r.counts.Created++
			r.warn(i, res.Warnings)
		case customer.StatusDuplicate:
			r.counts.Duplicate++
			r.warn(i, res.Warnings)
		default:
			r.counts.Rejected++
			line := r.batch.lines[i]
			reason := res.Reason
			if reason == "" {
				reason = "rejected by the server (status " + res.Status + ")"
			}
			r.report.add(&RowError{Line: line, Column: r.dec.build.columnOf(res.Field), Field: res.Field, Reason: reason}, r.batch.records[i])
		}
	}
}

// warn reports the hints the server dropped from the batch's row i, in
// one line of the warnings report.
func (r *importRun) warn(i int, warnings []customer.Warning) {
	if len(warnings) == 0 {
		return
	}
	r.counts.Warned++
	var columns, fields, reasons []string
	for _, w := range warnings {
		columns = append(columns, r.dec.build.columnOf(w.Field))
		fields = append(fields, w.Field)
		reasons = append(reasons, w.Reason)
	}
	e := RowError{Line: r.batch.lines[i], Column: strings.Join(columns, "; "), Field: strings.Join(fields, "; "), Reason: strings.Join(reasons, "; ")}
	r.warnings.add(&e, r.batch.records[i])
}

// finish removes the checkpoint and closes the reports.
func (r *importRun) finish() error {
	if !r.cfg.DryRun {
		if err := os.Remove(r.cpPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove the checkpoint: %w", err)
		}
	}
	if r.counts.Rejected > 0 {
		r.summary.Report = r.report.path
	}
	if r.counts.Warned > 0 {
		r.summary.Warnings = r.warnings.path
	}
	return errors.Join(r.report.close(r.counts.Rejected), r.warnings.close(r.counts.Warned))
}
