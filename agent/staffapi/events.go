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

// postEvents records events at this dealer. Each is committed to the
// local store (synced to disk) before the answer; the hub gets it later.
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
	results := make([]protocol.Result, len(events))
	for i, e := range events {
		created, err := s.record(e)
		if err != nil {
			writeError(w, http.StatusInsufficientStorage, "could not save the event on this PC: "+err.Error())
			return
		}
		results[i] = protocol.Result{ID: e.ID, Status: protocol.StatusCreated}
		if !created {
			results[i].Status = protocol.StatusDuplicate
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

// record commits an event locally and adds it to today's up-log.
func (s *Server) record(e customer.Event) (bool, error) {
	created, err := s.store.Record(e)
	if err != nil {
		s.log.Error("record event failed", "err", err)
		return false, err
	}
	if created {
		if err := s.store.LogVisit(e); err != nil {
			s.log.Warn("up-log write failed", "err", err)
		}
	}
	return created, nil
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
