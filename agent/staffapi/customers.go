package staffapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/touchpoint/touchpoint/agent/localstore"
	"github.com/touchpoint/touchpoint/customer"
)

const maxQueryLen = 256

// searchFields are the ways to search, in the order the page offers them.
var searchFields = []string{"phone", "email", "name", "vin", "plate", "customer_id"}

// searchQuery is one staff search: the field searched and the value typed.
// An API search may name several identifiers at once (phone, email,
// customer id): ids holds them all, and any of them matches.
type searchQuery struct {
	by, value string
	ids       *localstore.Query
}

// queryOf reads the first search field set in v.
func queryOf(v url.Values) (searchQuery, *apiError) {
	for _, f := range searchFields {
		if len(v.Get(f)) > maxQueryLen {
			return searchQuery{}, &apiError{Error: f + ": is longer than 256 bytes", Field: f, Reason: "is longer than 256 bytes"}
		}
	}
	for _, f := range searchFields {
		if v.Get(f) == "" {
			continue
		}
		q := searchQuery{by: f, value: v.Get(f)}
		if f == "phone" || f == "email" || f == "customer_id" {
			q.ids = &localstore.Query{Phone: v.Get("phone"), Email: v.Get("email"), CustomerID: v.Get("customer_id")}
		}
		return q, nil
	}
	return searchQuery{}, &apiError{Error: "give one of phone, email, name, vin, plate or customer_id", Field: "query", Reason: "is empty"}
}

// searchCustomers is GET /v1/customers: the local cache first and, when it
// has no hub profile for the query and the hub is reachable, the hub
// (read-through). With local=true it never asks the hub.
func (s *Server) searchCustomers(w http.ResponseWriter, r *http.Request) {
	q, apiErr := queryOf(r.URL.Query())
	if apiErr != nil {
		writeJSON(w, http.StatusBadRequest, apiErr)
		return
	}
	found, err := s.find(r.Context(), q, r.URL.Query().Get("local") == "true")
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	s.audit(r, actionSearch, found...)
	writeJSON(w, http.StatusOK, map[string]any{"customers": found})
}

// find runs a search: identifiers exactly, names forgiving typos,
// vehicles by VIN or plate (those only here: the hub has no such search).
func (s *Server) find(ctx context.Context, q searchQuery, localOnly bool) ([]customer.Profile, error) {
	var lq localstore.Query
	search := s.store.Search
	switch q.by {
	case "vin", "plate":
		found, err := s.store.SearchVehicle(q.value)
		return orEmpty(found), err
	case "name":
		lq.Name = q.value
		search = func(q localstore.Query) ([]customer.Profile, error) { return s.store.SearchNameFuzzy(q.Name) }
	case "email":
		lq.Email = q.value
	case "phone":
		lq.Phone = q.value
	case "customer_id":
		lq.CustomerID = q.value
	}
	if q.ids != nil {
		lq = *q.ids
	}
	found, err := search(lq)
	if err != nil || localOnly || hasCached(found) {
		return orEmpty(found), err
	}
	if _, err := s.hub.Lookup(ctx, lq); err != nil {
		s.log.Debug("read-through lookup unavailable", "err", err)
		return orEmpty(found), nil
	}
	found, err = search(lq)
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

// getCustomer is GET /v1/customers/{id}.
func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if len(id) > maxQueryLen {
		writeError(w, http.StatusBadRequest, "id: is longer than 256 bytes")
		return
	}
	p, err := s.profile(r.Context(), id)
	switch {
	case errors.Is(err, localstore.ErrNotFound):
		writeError(w, http.StatusNotFound, "no customer "+id+" here (and the hub did not know it or is unreachable)")
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
	default:
		s.audit(r, actionView, p)
		writeJSON(w, http.StatusOK, p)
	}
}

// profile returns a cached profile, asking the hub when it is not cached.
func (s *Server) profile(ctx context.Context, id string) (customer.Profile, error) {
	p, err := s.store.Profile(id)
	if errors.Is(err, localstore.ErrNotFound) {
		if _, lerr := s.hub.Lookup(ctx, localstore.Query{CustomerID: id}); lerr == nil {
			p, err = s.store.Profile(id)
		}
	}
	return p, err
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
