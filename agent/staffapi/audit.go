package staffapi

import (
	"net/http"
	"strconv"

	"github.com/touchpoint/touchpoint/agent/clock"
	"github.com/touchpoint/touchpoint/agent/localstore"
	"github.com/touchpoint/touchpoint/customer"
)

// Audit actions: what the staff member did with the profile.
const (
	actionSearch = "search" // it was among the search results shown
	actionView   = "view"   // its page or JSON was opened
	actionRecord = "record" // an interaction was recorded for it
)

// audit notes that the request's principal saw profiles. A failure is
// logged (without the customer) and does not hide the answer: the staff
// member is already in front of the customer.
func (s *Server) audit(r *http.Request, action string, profiles ...customer.Profile) {
	if len(profiles) == 0 {
		return
	}
	p := who(r)
	now := clock.Now().UnixNano()
	entries := make([]localstore.AuditEntry, len(profiles))
	for i := range profiles {
		entries[i] = localstore.AuditEntry{At: now, Staff: p.username, CustomerID: profiles[i].CustomerID, Action: action, Via: p.via}
	}
	if err := s.store.Audit(entries...); err != nil {
		s.log.Error("audit log write failed", "err", err)
	}
}

// getAudit is GET /v1/audit?customer_id=&staff=&limit=, newest first.
func (s *Server) getAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := strconv.Atoi(q.Get("limit"))
	if q.Get("limit") != "" && (err != nil || limit < 1 || limit > 10_000) {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "limit: must be 1 to 10000", Field: "limit", Reason: "must be 1 to 10000"})
		return
	}
	entries, err := s.store.AuditLog(localstore.AuditFilter{CustomerID: q.Get("customer_id"), Staff: q.Get("staff"), Limit: limit})
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}

// auditIDs is audit for customers known by id only.
func (s *Server) auditIDs(r *http.Request, action string, ids ...string) {
	profiles := make([]customer.Profile, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			profiles = append(profiles, customer.Profile{CustomerID: id})
		}
	}
	s.audit(r, action, profiles...)
}
