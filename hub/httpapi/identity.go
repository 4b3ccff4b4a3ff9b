package httpapi

import (
	"errors"
	"net/http"

	"github.com/touchpoint/touchpoint/hub/state"
)

// getCandidates lists open match candidates for review.
func (s *Server) getCandidates(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"candidates": s.store.Candidates()})
}

// decideCandidate confirms (merges) or rejects a candidate.
func (s *Server) decideCandidate(confirm bool) http.HandlerFunc {
	cmd := state.CmdReject
	if confirm {
		cmd = state.CmdConfirm
	}
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		_, err := s.store.ApplyOne(r.Context(), cmd, &state.CandidateBody{ID: id, By: "operator"})
		if !s.writeCommandError(w, err) {
			writeJSON(w, http.StatusOK, map[string]string{"id": id, "status": map[bool]string{true: state.CandidateConfirmed, false: state.CandidateRejected}[confirm]})
		}
	}
}

// getMerges lists the merges a customer took part in (the audit trail).
func (s *Server) getMerges(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"merges": s.store.Merges(r.PathValue("id"))})
}

// splitMerge undoes a merge.
func (s *Server) splitMerge(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	_, err := s.store.ApplyOne(r.Context(), s.store.SplitCommand(), &state.SplitBody{MergeID: id})
	if !s.writeCommandError(w, err) {
		writeJSON(w, http.StatusOK, map[string]string{"split": id})
	}
}

// writeCommandError answers a failed command: 404 for an unknown id, 409
// for one already decided, 503 otherwise. It reports whether it wrote.
func (s *Server) writeCommandError(w http.ResponseWriter, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, state.ErrUnknownCandidate), errors.Is(err, state.ErrUnknownMerge):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, state.ErrCandidateDecided), errors.Is(err, state.ErrAlreadySplit):
		writeError(w, http.StatusConflict, err.Error())
	default:
		writeError(w, http.StatusServiceUnavailable, err.Error())
	}
	return true
}
