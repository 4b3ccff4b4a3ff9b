package staffapi

import (
	"cmp"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/touchpoint/touchpoint/agent/clock"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// maxBodyBytes bounds a request body, as at the hub.
const maxBodyBytes = 1 << 20

// postEvents records events at this dealer and answers as the hub's POST
// /v1/events does: each event is read as every ingest path reads it
// (customer.ReadEvent: unknown fields refused with their path, hints that
// do not normalise dropped with a warning), the valid ones are committed
// to the local store together (synced to disk) before the answer, and the
// answer holds a result per event: 200, or 400 with the first rejection
// when none was valid. The hub gets them later. Missing id, channel,
// source and occurred_at are filled in.
func (s *Server) postEvents(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body is larger than 1 MiB")
			return
		}
		writeError(w, http.StatusBadRequest, "read body: "+err.Error())
		return
	}
	raws, err := customer.SplitEvents(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	p := who(r)
	complete := func(e *customer.Event) *customer.FieldError {
		if !p.admin {
			e.Staff = p.username // staff record as themselves
		}
		return s.fill(e)
	}
	regionOf := func(string) string { return s.store.Region() }
	results := make([]protocol.Result, len(raws))
	var events []customer.Event
	var slots []int
	var first *customer.FieldError
	for i, raw := range raws {
		e, warnings, fe := customer.ReadEvent(raw, complete, regionOf)
		if fe != nil {
			results[i] = protocol.Result{ID: e.ID, Status: protocol.StatusRejected, Field: fe.Field, Reason: fe.Reason}
			first = cmp.Or(first, fe)
			continue
		}
		results[i] = protocol.Result{ID: e.ID, Warnings: warnings}
		events, slots = append(events, e), append(slots, i)
	}
	if len(events) == 0 {
		writeJSON(w, http.StatusBadRequest, struct {
			apiError
			Results []protocol.Result `json:"results"`
		}{apiError{Error: first.Error(), Field: first.Field, Reason: first.Reason}, results})
		return
	}
	created, err := s.record(events...)
	if err != nil {
		writeError(w, http.StatusInsufficientStorage, "could not save the events on this PC: "+err.Error())
		return
	}
	for j, i := range slots {
		results[i].Status = protocol.StatusCreated
		if !created[j] {
			results[i].Status = protocol.StatusDuplicate
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

// record commits events locally, with their outbox entries and their
// lines in today's up-log, in one synced transaction; created[i] is false
// for a duplicate.
func (s *Server) record(events ...customer.Event) (created []bool, err error) {
	created, err = s.store.RecordBatch(events)
	if err != nil {
		s.log.Error("record events failed", "events", len(events), "err", err)
	}
	return created, err
}

// complete fills defaults for an event recorded from the staff page and
// prepares it as every ingest path does. A hint that does not normalise
// is refused here rather than dropped: the person at the form can
// correct it.
func (s *Server) complete(e *customer.Event) *customer.FieldError {
	if fe := s.fill(e); fe != nil {
		return fe
	}
	prepared := *e
	warnings, err := prepared.Prepare(s.store.Region())
	switch {
	case err != nil:
		return customer.AsFieldError(err)
	case len(warnings) > 0:
		return &customer.FieldError{Field: warnings[0].Field, Reason: warnings[0].Reason}
	}
	*e = prepared
	return nil
}

// fill sets the defaults of an event recorded here and checks its source.
func (s *Server) fill(e *customer.Event) *customer.FieldError {
	source := "dealer:" + s.dealer
	switch {
	case e.Source == "":
		e.Source = source
	case e.Source != source:
		return &customer.FieldError{Field: "source", Reason: "must be " + source + " (or empty) at this agent"}
	}
	if e.ID == "" {
		e.ID = uuid.Must(uuid.NewV7()).String()
	}
	if e.Channel == "" {
		e.Channel = "showroom"
	}
	if e.OccurredAt.IsZero() {
		e.OccurredAt = clock.Now().UTC().Truncate(time.Second)
	}
	return nil
}
