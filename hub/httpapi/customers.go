package httpapi

import (
	"net/http"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state"
)

// maxQueryLen bounds one search parameter.
const maxQueryLen = 256

type searchResponse struct {
	Customers []customer.Profile `json:"customers"`
}

// searchCustomers answers ?email=, ?phone=, ?name= or ?customer_id=.
func (s *Server) searchCustomers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	query := state.Query{
		Email: q.Get("email"), Phone: q.Get("phone"), Name: q.Get("name"),
		CustomerID: q.Get("customer_id"), Region: q.Get("region"),
	}
	for _, name := range []string{"email", "phone", "name", "customer_id", "region"} {
		if len(q.Get(name)) > maxQueryLen {
			writeJSON(w, http.StatusBadRequest, apiError{Error: name + ": is longer than 256 bytes", Field: name, Reason: "is longer than 256 bytes"})
			return
		}
	}
	if query.Email == "" && query.Phone == "" && query.Name == "" && query.CustomerID == "" {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "give one of email, phone, name or customer_id", Field: "query", Reason: "is empty"})
		return
	}
	found := s.store.Search(query)
	if found == nil {
		found = []customer.Profile{}
	}
	writeJSON(w, http.StatusOK, searchResponse{Customers: found})
}

// getCustomer returns one profile with its timeline; a merged id answers
// with the profile it was merged into.
func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if len(id) > maxQueryLen {
		writeError(w, http.StatusBadRequest, "id: is longer than 256 bytes")
		return
	}
	p, ok := s.store.Profile(id)
	if !ok {
		writeError(w, http.StatusNotFound, "no customer "+id)
		return
	}
	writeJSON(w, http.StatusOK, p)
}
