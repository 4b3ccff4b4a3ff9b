package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// The website snippet's endpoint. A page cannot put an Authorization
// header on navigator.sendBeacon, so it sends a publishable key in the
// query string and its events as a text/plain body (a CORS "simple"
// request, no preflight). A publishable key is meant to be seen: it only
// posts the website event types of its own web: source, only from the
// origins configured for that source, within its rate limit; it never
// reads anything, and a bearer token with its prefix is refused elsewhere.
// The Origin check stops other sites' pages from using the key; a script
// outside a browser can forge Origin, which the rate limit bounds.
const (
	webEventsPath        = "/v1/web/events"
	PublishableKeyPrefix = "tpw_"
	// WebMaxBodyBytes bounds a snippet request (sendBeacon allows 64 KiB).
	WebMaxBodyBytes = 64 << 10
	// WebMaxEvents bounds the events of one snippet request.
	WebMaxEvents = 100
)

// maxClockSkew is how far ahead of the hub a visitor's clock may be.
const maxClockSkew = 24 * time.Hour

// WebEventTypes are the event types a publishable key may post.
var WebEventTypes = []string{
	"page_view", "configurator_saved", "brochure_requested", "test_drive_requested",
	"contact_updated", "consent_changed", "survey", "review", "referral",
}

// postWebEvents ingests the snippet's {"events": [...]}: each event gets
// channel web and the key's source when it names none, must carry a
// web_id and may not name a customer_id. Results as for /v1/events.
func (s *Server) postWebEvents(w http.ResponseWriter, r *http.Request) {
	key, ok := s.webKey(w, r)
	if !ok {
		return
	}
	raws, apiErr, status := readWebEvents(w, r)
	if apiErr != nil {
		writeJSON(w, status, apiErr)
		return
	}
	if !s.allowEvents(w, key.Hash, len(raws)) {
		return
	}
	results, valid, first := parseWebEvents(raws, key.Source, s.now(), s.store.RegionOf)
	s.ingestResults(w, r, slices.Repeat([]string{"web"}, len(results)), results, valid, first)
}

// webKey checks the publishable key and the page's origin, and sets the
// CORS headers for an allowed origin. It answers the request otherwise.
func (s *Server) webKey(w http.ResponseWriter, r *http.Request) (state.APIKey, bool) {
	if _, ok := s.store.Secrets(); !ok {
		writeError(w, http.StatusServiceUnavailable, "cluster not initialised yet: retry shortly")
		return state.APIKey{}, false
	}
	token := r.URL.Query().Get("key")
	k, ok := s.store.APIKey(state.HashSecret(token))
	if !strings.HasPrefix(token, PublishableKeyPrefix) || !ok || k.Kind != state.KeyChannel || !strings.HasPrefix(k.Source, "web:") {
		writeJSON(w, http.StatusUnauthorized, fieldError("key", "missing or unknown publishable key: create one with touchpoint-hub key create --source web:SITE --publishable"))
		return state.APIKey{}, false
	}
	origin := r.Header.Get("Origin")
	if !s.originAllowed(k.Source, origin) {
		writeJSON(w, http.StatusForbidden, fieldError("Origin", fmt.Sprintf(
			"%q may not send events of %s: start the hub with --web-origins %s=%s", origin, k.Source, k.Source, originOrExample(origin))))
		return state.APIKey{}, false
	}
	allowOrigin(w, origin)
	return k, true
}

// readWebEvents reads the body and splits it into events, or says why not.
func readWebEvents(w http.ResponseWriter, r *http.Request) ([]json.RawMessage, *apiError, int) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, WebMaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, fieldError("body", fmt.Sprintf("is larger than %d KiB: flush more often", WebMaxBodyBytes>>10)), http.StatusRequestEntityTooLarge
	}
	if err != nil {
		return nil, fieldError("body", "could not be read: "+err.Error()), http.StatusBadRequest
	}
	var batch struct {
		Events []json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(body, &batch); err != nil {
		return nil, fieldError("body", `must be {"events": [...]}: `+strings.TrimPrefix(err.Error(), "json: ")), http.StatusBadRequest
	}
	switch {
	case len(batch.Events) == 0:
		return nil, fieldError("events", "is empty or missing"), http.StatusBadRequest
	case len(batch.Events) > WebMaxEvents:
		return nil, fieldError("events", fmt.Sprintf("has %d events, at most %d per request", len(batch.Events), WebMaxEvents)), http.StatusRequestEntityTooLarge
	}
	return batch.Events, nil, 0
}

// parseWebEvents reads each snippet event as every ingest path does (see
// readEvents), completed by completeWebEvent.
func parseWebEvents(raws []json.RawMessage, source string, now time.Time, regionOf func(string) string) ([]protocol.Result, []customer.Event, apiError) {
	complete := func(e *customer.Event) *customer.FieldError { return completeWebEvent(e, source, now) }
	return readEvents(raws, complete, regionOf, true)
}

// completeWebEvent fills what the snippet may leave out and applies the
// rules of a publishable key.
func completeWebEvent(e *customer.Event, source string, now time.Time) *customer.FieldError {
	if e.Source == "" {
		e.Source = source
	}
	if e.Channel == "" {
		e.Channel = "web"
	}
	if e.OccurredAt.IsZero() {
		e.OccurredAt = now.UTC()
	}
	switch {
	case e.Source != source:
		return &customer.FieldError{Field: "source", Reason: "this key may only post events of source " + source}
	case e.Channel != "web":
		return &customer.FieldError{Field: "channel", Reason: "must be web from the website snippet"}
	case !slices.Contains(WebEventTypes, e.Type):
		return &customer.FieldError{Field: "type", Reason: "must be one of " + strings.Join(WebEventTypes, ", ") + " from the website snippet"}
	case strings.TrimSpace(e.Customer.WebID) == "":
		return &customer.FieldError{Field: "customer.web_id", Reason: "is required from the website snippet"}
	case e.Customer.CustomerID != "":
		return &customer.FieldError{Field: "customer.customer_id", Reason: "may not be sent from the website snippet"}
	case e.OccurredAt.After(now.Add(maxClockSkew)):
		return &customer.FieldError{Field: "occurred_at", Reason: "is more than a day ahead of the hub's clock"}
	}
	return nil
}
