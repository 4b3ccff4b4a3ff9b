package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// MaxBodyBytes bounds an ingest request body.
const MaxBodyBytes = 1 << 20

type eventsResponse struct {
	Results []protocol.Result `json:"results"`
}

// postEvents ingests one event or {"events": [...]}. It answers 200 only
// after the Raft commit, with a result per event; 400 when every event
// was rejected, naming the field and reason.
func (s *Server) postEvents(w http.ResponseWriter, r *http.Request) {
	raws, err := readEventBodies(w, r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body is larger than 1 MiB: send fewer events per request")
			return
		}
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	results, valid, firstErr := parseEvents(raws, s.store.RegionOf)
	valid = restrictSource(callerOf(r), results, valid, &firstErr)
	s.ingestResults(w, r, sourceKinds(raws), results, valid, firstErr)
}

// ingestResults commits the valid events and answers with every result:
// 200 after the commit, 400 (with the first error) when none was valid.
// kinds are the events' source kinds, for the metrics.
func (s *Server) ingestResults(w http.ResponseWriter, r *http.Request, kinds []string, results []protocol.Result, valid []customer.Event, first apiError) {
	if len(valid) == 0 {
		s.countIngest(kinds, results)
		writeJSON(w, http.StatusBadRequest, struct {
			apiError
			Results []protocol.Result `json:"results"`
		}{first, results})
		return
	}
	committed, err := s.store.Ingest(r.Context(), valid)
	if err != nil {
		s.log.Warn("ingest failed", "events", len(valid), "err", err)
		writeError(w, http.StatusServiceUnavailable, "not committed, retry (writes are idempotent): "+err.Error())
		return
	}
	mergeResults(results, committed)
	s.countIngest(kinds, results)
	writeJSON(w, http.StatusOK, eventsResponse{Results: results})
}

// readEventBodies reads the body (at most MaxBodyBytes) and splits it
// into the raw JSON of each event.
func readEventBodies(w http.ResponseWriter, r *http.Request) ([]json.RawMessage, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		return nil, err
	}
	return customer.SplitEvents(body)
}

// parseEvents reads each event as every ingest path does (see
// readEvents), phones in the region of the event's source.
func parseEvents(raws []json.RawMessage, regionOf func(source string) string) ([]protocol.Result, []customer.Event, apiError) {
	return readEvents(raws, nil, regionOf, false)
}

// readEvents reads each event with customer.ReadEvent: strictly decoded,
// completed by complete (nil for nothing), prepared in its source's region.
// results holds a rejection for each invalid event and, for each valid
// one, a placeholder without a status carrying its warnings. first is the
// first rejection, named events[i].field when indexed.
func readEvents(raws []json.RawMessage, complete func(*customer.Event) *customer.FieldError, regionOf func(string) string, indexed bool) ([]protocol.Result, []customer.Event, apiError) {
	results := make([]protocol.Result, len(raws))
	var valid []customer.Event
	var first apiError
	for i, raw := range raws {
		e, warnings, fe := customer.ReadEvent(raw, complete, regionOf)
		if fe != nil {
			results[i] = protocol.Result{ID: e.ID, Status: protocol.StatusRejected, Field: fe.Field, Reason: fe.Reason}
			if first.Error == "" {
				first = apiError{Error: fe.Error(), Field: fe.Field, Reason: fe.Reason}
				if indexed {
					first.Error = fmt.Sprintf("events[%d].%s", i, fe.Error())
				}
			}
			continue
		}
		results[i].Warnings = warnings
		valid = append(valid, e)
	}
	return results, valid, first
}

// countIngest adds the results to the ingest metrics by source kind.
func (s *Server) countIngest(kinds []string, results []protocol.Result) {
	for i, r := range results {
		s.metrics.Ingested.WithLabelValues(r.Status, kinds[i]).Inc()
	}
}

// sourceKinds returns web, phone, dealer, import (or unknown) per event.
func sourceKinds(raws []json.RawMessage) []string {
	kinds := make([]string, len(raws))
	for i, raw := range raws {
		var head struct {
			Source string `json:"source"`
		}
		_ = json.Unmarshal(raw, &head)
		kind, _, ok := strings.Cut(head.Source, ":")
		if !ok || !slices.Contains([]string{"web", "phone", "dealer", "import"}, kind) {
			kind = "unknown"
		}
		kinds[i] = kind
	}
	return kinds
}

// restrictSource rejects the events a channel key may not post: only its
// own source. Operators and internal callers post any source.
func restrictSource(c caller, results []protocol.Result, valid []customer.Event, first *apiError) []customer.Event {
	if c.kind != state.KeyChannel {
		return valid
	}
	var kept []customer.Event
	j := 0
	for i := range results {
		if results[i].Status != "" {
			continue
		}
		e := valid[j]
		j++
		if e.Source == c.source {
			kept = append(kept, e)
			continue
		}
		reason := "this key may only post events of source " + c.source
		results[i] = protocol.Result{ID: e.ID, Status: protocol.StatusRejected, Field: "source", Reason: reason}
		if first.Error == "" {
			*first = apiError{Error: "source: " + reason, Field: "source", Reason: reason}
		}
	}
	return kept
}

// mergeResults fills the placeholders of valid events, in order, keeping
// the warnings of their dropped hints.
func mergeResults(results, committed []protocol.Result) {
	j := 0
	for i := range results {
		if results[i].Status == "" && j < len(committed) {
			warnings := results[i].Warnings
			results[i] = committed[j]
			results[i].Warnings = append(results[i].Warnings, warnings...)
			j++
		}
	}
}
