package staffapi

import (
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

// postEvents records events at this dealer. All of a request's events are
// committed to the local store together (synced to disk) before the
// answer; the hub gets them later.
// Missing id, channel, source and occurred_at are filled in.
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
	events := make([]customer.Event, len(raws))
	for i, raw := range raws {
		e, fe := customer.DecodeEvent(raw)
		if p := who(r); fe == nil && !p.admin {
			e.Staff = p.username // staff record as themselves
		}
		if fe == nil {
			fe = s.complete(&e)
		}
		if fe != nil {
			writeJSON(w, http.StatusBadRequest, apiError{Error: fe.Error(), Field: fe.Field, Reason: fe.Reason})
			return
		}
		events[i] = e
	}
	created, err := s.record(events...)
	if err != nil {
		writeError(w, http.StatusInsufficientStorage, "could not save the events on this PC: "+err.Error())
		return
	}
	results := make([]protocol.Result, len(events))
	for i, e := range events {
		results[i] = protocol.Result{ID: e.ID, Status: protocol.StatusCreated}
		if !created[i] {
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

// complete fills defaults for an event recorded here and validates it.
func (s *Server) complete(e *customer.Event) *customer.FieldError {
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
	if err := e.Validate(); err != nil {
		return customer.AsFieldError(err)
	}
	return nil
}
