package staffapi

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/touchpoint/touchpoint/agent/localstore"
	"github.com/touchpoint/touchpoint/customer"
)

// base fills what every signed-in page shows.
func (s *Server) base(r *http.Request, title string) *pageData {
	p := who(r)
	return &pageData{
		Title: title, Dealer: s.dealer, StaffName: p.name, CSRF: p.session.CSRF, Sync: s.syncView(),
		Fields: fieldOptions, RecordTypes: recordTypes, By: "phone",
	}
}

// homePage is the search form, the walk-in form and today's up-log.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	d := s.base(r, "Showroom")
	d.Visits, d.Today = s.visits(), "today"
	if r.URL.Query().Get("saved") != "" {
		d.Flash = savedMessage(d.Sync)
	}
	s.render(w, http.StatusOK, "home", d)
}

// syncPartial is the banner alone, for the page to refresh itself.
func (s *Server) syncPartial(w http.ResponseWriter, _ *http.Request) {
	s.render(w, http.StatusOK, "banner", &pageData{Sync: s.syncView()})
}

// searchPage shows the profiles a search finds, asking the hub when this
// PC has none and the hub is reachable.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	d := s.base(r, "Search")
	q := searchQuery{by: r.URL.Query().Get("by"), value: strings.TrimSpace(r.URL.Query().Get("q"))}
	d.By, d.Value, d.Searched = q.by, q.value, true
	if !slices.ContainsFunc(fieldOptions, func(o option) bool { return o.Value == q.by }) || q.value == "" || len(q.value) > maxQueryLen {
		d.By, d.Searched, d.Error = "phone", false, "Choose what to search by and type up to 256 characters."
		s.render(w, http.StatusBadRequest, "search", d)
		return
	}
	found, err := s.find(r.Context(), q, false)
	if err != nil {
		s.log.Error("search failed", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "The search failed on this PC. Try again; if it keeps failing, ask IT to run `touchpoint-agent doctor`.")
		return
	}
	s.audit(r, actionSearch, found...)
	for i := range found {
		d.Results = append(d.Results, summarize(&found[i], q))
	}
	d.Title = "Search: " + q.value
	if r.URL.Query().Get("saved") != "" {
		d.Flash = savedMessage(d.Sync)
	}
	s.render(w, http.StatusOK, "search", d)
}

// profilePage shows one customer: journey, moments, household, timeline
// and the forms to record what happens now.
func (s *Server) profilePage(w http.ResponseWriter, r *http.Request) {
	p, q, err := s.pageProfile(r)
	if errors.Is(err, localstore.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, "This customer is not on this PC, and the hub did not know them or cannot be reached. Search again by phone or email.")
		return
	}
	if err != nil {
		s.log.Error("read profile failed", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read this customer on this PC. Try again.")
		return
	}
	s.audit(r, actionView, p)
	d := s.base(r, displayName(&p))
	d.Profile = s.profileView(&p, q)
	if r.URL.Query().Get("saved") != "" {
		d.Flash = savedMessage(d.Sync)
	}
	s.render(w, http.StatusOK, "profile", d)
}

// pageProfile finds the profile a page URL names: by id, or for a
// provisional profile by the search that found it.
func (s *Server) pageProfile(r *http.Request) (customer.Profile, searchQuery, error) {
	id := r.PathValue("id")
	if !strings.HasPrefix(id, "local-") {
		p, err := s.profile(r.Context(), id)
		return p, searchQuery{}, err
	}
	q := searchQuery{by: r.URL.Query().Get("by"), value: r.URL.Query().Get("q")}
	if q.by == "" || q.value == "" || len(q.value) > maxQueryLen {
		return customer.Profile{}, q, localstore.ErrNotFound
	}
	found, err := s.find(r.Context(), q, true)
	if err != nil {
		return customer.Profile{}, q, err
	}
	for _, p := range found {
		if p.CustomerID == id {
			return p, q, nil
		}
	}
	return customer.Profile{}, q, localstore.ErrNotFound
}

// recordForProfile records an interaction with the customer on the page.
func (s *Server) recordForProfile(w http.ResponseWriter, r *http.Request) {
	p, q, err := s.pageProfile(r)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "This customer is no longer on this PC. Search again, then record.")
		return
	}
	e, msg := s.formEvent(r)
	if p.Provisional {
		e.Customer = customer.Hints{Phone: first(p.Phones), Email: first(p.Emails)}
	} else {
		e.Customer = customer.Hints{CustomerID: p.CustomerID}
	}
	if msg == "" {
		msg = s.save(&e)
	}
	if msg != "" {
		d := s.base(r, displayName(&p))
		d.Profile, d.Error = s.profileView(&p, q), msg
		s.render(w, http.StatusBadRequest, "profile", d)
		return
	}
	s.audit(r, actionRecord, p)
	http.Redirect(w, r, withSaved(profileLink(&p, q)), http.StatusSeeOther)
}

// recordWalkIn records an interaction with someone typed in by hand.
func (s *Server) recordWalkIn(w http.ResponseWriter, r *http.Request) {
	e, msg := s.formEvent(r)
	e.Customer = customer.Hints{
		Phone: strings.TrimSpace(r.PostFormValue("phone")), Email: strings.TrimSpace(r.PostFormValue("email")),
		GivenName: strings.TrimSpace(r.PostFormValue("given_name")), FamilyName: strings.TrimSpace(r.PostFormValue("family_name")),
	}
	q := searchQuery{by: "phone", value: e.Customer.Phone}
	if q.value == "" {
		q = searchQuery{by: "email", value: e.Customer.Email}
	}
	if msg == "" && q.value == "" {
		msg = "Give the customer's phone or email, so their history can find them."
	}
	if msg == "" {
		msg = s.save(&e)
	}
	if msg != "" {
		d := s.base(r, "Showroom")
		d.Visits, d.Today, d.Error = s.visits(), "today", msg
		s.render(w, http.StatusBadRequest, "home", d)
		return
	}
	http.Redirect(w, r, withSaved("/search?"+url.Values{"by": {q.by}, "q": {q.value}}.Encode()), http.StatusSeeOther)
}

// formEvent reads the record form; the message says what is wrong.
func (s *Server) formEvent(r *http.Request) (customer.Event, string) {
	typ := r.PostFormValue("type")
	e := customer.Event{Type: typ, Channel: "showroom", Staff: who(r).username, Note: strings.TrimSpace(r.PostFormValue("note"))}
	if !slices.ContainsFunc(recordTypes, func(o option) bool { return o.Value == typ }) {
		return e, "Choose what happened: a showroom visit, test drive, quote or note."
	}
	model, vin := strings.TrimSpace(r.PostFormValue("model")), strings.ToUpper(strings.TrimSpace(r.PostFormValue("vin")))
	if model != "" || vin != "" {
		e.Vehicle = &customer.Vehicle{Model: model, VIN: vin}
	}
	if plate := strings.TrimSpace(r.PostFormValue("plate")); plate != "" {
		e.Attributes = map[string]string{localstore.PlateAttribute: plate}
	}
	return e, ""
}

// save completes, validates and records e; the message says what is wrong.
func (s *Server) save(e *customer.Event) string {
	if fe := s.complete(e); fe != nil {
		return "Not saved: " + fe.Field + " " + fe.Reason + "."
	}
	if _, err := s.record(*e); err != nil {
		return "Not saved: this PC could not write it. Try again; if it keeps failing, ask IT to run `touchpoint-agent doctor`."
	}
	return ""
}

func withSaved(link string) string {
	if strings.Contains(link, "?") {
		return link + "&saved=1"
	}
	return link + "?saved=1"
}

func savedMessage(sync *syncView) string {
	if sync.Online {
		return "Saved on this PC and on its way to the hub."
	}
	return "Saved on this PC. The hub cannot be reached right now: it will get this as soon as the connection is back."
}
