package staffapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/touchpoint/touchpoint/agent/hublink"
	"github.com/touchpoint/touchpoint/protocol"
)

// actionDecide is the audit action of a match-candidate decision.
const actionDecide = "decide"

// Reviewer is what match-candidate review needs of the hub connection:
// candidates live at the hub, so review works only online.
type Reviewer interface {
	Candidates(ctx context.Context) ([]protocol.CandidateView, error)
	Decide(ctx context.Context, id string, confirm bool, staff string) (string, error)
}

// candidatesPage lists the open candidates touching this dealer's
// customers, each pair side by side with the evidence.
func (s *Server) candidatesPage(w http.ResponseWriter, r *http.Request) {
	d := s.base(r, "Match review")
	list, err := s.hub.Candidates(r.Context())
	switch {
	case errors.Is(err, hublink.ErrOffline):
		d.Error = "Match review needs the hub, and this PC cannot reach it now. Everything else works offline; try again when the banner says online."
	case err != nil:
		s.log.Warn("list candidates failed", "err", err)
		d.Error = "The hub did not answer. Try again in a minute."
	}
	for i := range list {
		d.Candidates = append(d.Candidates, candidateViewOf(&list[i]))
		s.audit(r, actionSearch, list[i].A, list[i].B)
	}
	d.Reviewed = true
	if r.URL.Query().Get("decided") != "" {
		d.Flash = "Saved at the hub. The profiles update on this PC within seconds."
	}
	s.render(w, http.StatusOK, "candidates", d)
}

// decideCandidatePage takes a confirm or reject from the review page.
func (s *Server) decideCandidatePage(w http.ResponseWriter, r *http.Request) {
	decision := r.PostFormValue("decision")
	if decision != "confirm" && decision != "reject" {
		s.renderError(w, r, http.StatusBadRequest, "Choose “Same person” or “Different people”.")
		return
	}
	if _, err := s.decide(r, r.PathValue("id"), decision == "confirm"); err != nil {
		s.renderError(w, r, decideStatus(err), decideMessage(err))
		return
	}
	http.Redirect(w, r, "/candidates?decided=1", http.StatusSeeOther)
}

// getCandidates is GET /v1/candidates: {"candidates": [...]}.
func (s *Server) getCandidates(w http.ResponseWriter, r *http.Request) {
	list, err := s.hub.Candidates(r.Context())
	if err != nil {
		writeError(w, decideStatus(err), decideMessage(err))
		return
	}
	if list == nil {
		list = []protocol.CandidateView{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"candidates": list})
}

// postDecision is POST /v1/candidates/{id}/confirm and /reject.
func (s *Server) postDecision(confirm bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		status, err := s.decide(r, r.PathValue("id"), confirm)
		if err != nil {
			writeError(w, decideStatus(err), decideMessage(err))
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id"), "status": status})
	}
}

// decide sends the decision to the hub in the staff member's name and
// writes it to the audit log.
func (s *Server) decide(r *http.Request, id string, confirm bool) (string, error) {
	p := who(r)
	status, err := s.hub.Decide(r.Context(), id, confirm, p.username)
	if err != nil {
		return "", err
	}
	a, b, _ := strings.Cut(id, "~")
	s.auditIDs(r, actionDecide, a, b)
	s.log.Info("match candidate decided", "candidate", id, "status", status, "staff", p.username)
	return status, nil
}

func decideStatus(err error) int {
	var remote *protocol.RemoteError
	switch {
	case errors.Is(err, hublink.ErrOffline):
		return http.StatusServiceUnavailable
	case errors.As(err, &remote) && remote.Code == protocol.CodeBadRequest:
		return http.StatusBadRequest
	}
	return http.StatusBadGateway
}

func decideMessage(err error) string {
	var remote *protocol.RemoteError
	switch {
	case errors.Is(err, hublink.ErrOffline):
		return "match review needs the hub, and it cannot be reached now"
	case errors.As(err, &remote):
		return remote.Message
	}
	return "the hub did not answer: " + err.Error()
}
