package staffapi

import (
	"errors"
	"net/http"

	"github.com/touchpoint/touchpoint/agent/localstore"
	"github.com/touchpoint/touchpoint/customer"
)

const maxQueryLen = 256

// searchCustomers searches the local cache first and, when nothing is
// found and the hub is reachable, asks the hub (read-through). With
// local=true it never asks the hub.
func (s *Server) searchCustomers(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := localstore.Query{Email: v.Get("email"), Phone: v.Get("phone"), Name: v.Get("name"), CustomerID: v.Get("customer_id")}
	for _, f := range []string{"email", "phone", "name", "customer_id"} {
		if len(v.Get(f)) > maxQueryLen {
			writeJSON(w, http.StatusBadRequest, apiError{Error: f + ": is longer than 256 bytes", Field: f, Reason: "is longer than 256 bytes"})
			return
		}
	}
	if q == (localstore.Query{}) {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "give one of email, phone, name or customer_id", Field: "query", Reason: "is empty"})
		return
	}
	found, err := s.search(r, q, v.Get("local") == "true")
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"customers": found})
}

func (s *Server) search(r *http.Request, q localstore.Query, localOnly bool) ([]customer.Profile, error) {
	found, err := s.store.Search(q)
	if err != nil || localOnly || hasCached(found) {
		return orEmpty(found), err
	}
	if _, err := s.hub.Lookup(r.Context(), q); err != nil {
		s.log.Debug("read-through lookup unavailable", "err", err)
		return orEmpty(found), nil
	}
	found, err = s.store.Search(q)
	return orEmpty(found), err
}

// hasCached reports whether a hub profile (not only provisional ones) was found.
func hasCached(found []customer.Profile) bool {
	for _, p := range found {
		if !p.Provisional {
			return true
		}
	}
	return false
}

func orEmpty(list []customer.Profile) []customer.Profile {
	if list == nil {
		return []customer.Profile{}
	}
	return list
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if len(id) > maxQueryLen {
		writeError(w, http.StatusBadRequest, "id: is longer than 256 bytes")
		return
	}
	p, err := s.store.Profile(id)
	if errors.Is(err, localstore.ErrNotFound) {
		if _, lerr := s.hub.Lookup(r.Context(), localstore.Query{CustomerID: id}); lerr == nil {
			p, err = s.store.Profile(id)
		}
	}
	switch {
	case errors.Is(err, localstore.ErrNotFound):
		writeError(w, http.StatusNotFound, "no customer "+id+" here (and the hub did not know it or is unreachable)")
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
	default:
		writeJSON(w, http.StatusOK, p)
	}
}

// syncStatus is GET /v1/sync.
type syncStatus struct {
	Dealer string `json:"dealer"`
	localstore.Status
	Hub any `json:"hub"`
}

func (s *Server) getSync(w http.ResponseWriter, _ *http.Request) {
	st, err := s.store.Status()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, syncStatus{Dealer: s.dealer, Status: st, Hub: s.hub.State()})
}
