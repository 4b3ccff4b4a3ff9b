package staffapi

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
	"github.com/touchpoint/touchpoint/agent/clock"
	"github.com/touchpoint/touchpoint/customer"
)

// pageData is what every page template gets; each page fills its part.
type pageData struct {
	Title, Dealer, StaffName, CSRF string
	Sync                           *syncView
	Error, Flash                   string

	// The login page.
	Next, Username string
	// The search form and its results.
	By, Value    string
	Fields       []option
	Searched     bool
	Results      []summaryView
	RecordTypes  []option
	WalkInPrompt bool
	// The profile page.
	Profile *profileView
	// Today's up-log.
	Visits []visitView
	Today  string
	// Match review.
	Candidates []candidateView
	Reviewed   bool
}

type option struct{ Value, Label string }

// fieldOptions label the search fields.
var fieldOptions = []option{
	{"phone", "Phone"}, {"email", "Email"}, {"name", "Name"},
	{"vin", "VIN"}, {"plate", "Licence plate"}, {"customer_id", "Customer ID"},
}

// recordTypes are what staff record on the page.
var recordTypes = []option{
	{"showroom_visit", "Showroom visit"}, {"test_drive", "Test drive"},
	{"quote", "Quote"}, {"note", "Note"},
}

// syncView is the hub connection banner.
type syncView struct {
	Online   bool
	LastSync string
	Outbox   int
}

func (s *Server) syncView() *syncView {
	v := &syncView{LastSync: "never"}
	st := s.hub.State()
	v.Online = st.Connected
	if !st.LastSync.IsZero() {
		v.LastSync = when(st.LastSync)
	}
	if n, err := s.store.OutboxLen(); err == nil {
		v.Outbox = n
	} else {
		s.log.Warn("read outbox length", "err", err)
	}
	return v
}

// summaryView is one search result.
type summaryView struct {
	Link, Name, ID, Phones, Emails, Stage, Tier, LastContact string
	Provisional                                              bool
}

// profileLink is where a profile's page is; a provisional profile has no
// id of its own yet, so its link repeats the search that found it.
func profileLink(p *customer.Profile, q searchQuery) string {
	link := "/customers/" + url.PathEscape(p.CustomerID)
	if p.Provisional {
		link += "?" + url.Values{"by": {q.by}, "q": {q.value}}.Encode()
	}
	return link
}

func summarize(p *customer.Profile, q searchQuery) summaryView {
	v := summaryView{
		Link: profileLink(p, q), Name: displayName(p), ID: p.CustomerID,
		Phones: strings.Join(phoneLabels(p.Phones), ", "), Emails: strings.Join(p.Emails, ", "),
		Stage: p.JourneyStage, Tier: p.ValueTier, Provisional: p.Provisional,
	}
	if n := len(p.Events); n > 0 {
		v.LastContact = when(p.Events[n-1].OccurredAt)
	}
	return v
}

// phoneLabel writes an E.164 number for people: "+1 312-555-0142".
func phoneLabel(e164 string) string {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

func phoneLabels(list []string) []string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = phoneLabel(p)
	}
	return out
}

func displayName(p *customer.Profile) string {
	if name := strings.TrimSpace(p.GivenName + " " + p.FamilyName); name != "" {
		return name
	}
	return "Name not known"
}

// when formats a time for staff, in this PC's time zone.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("Mon 2 Jan 2006, 15:04")
}

// typeLabel turns an event type into words: "test_drive" → "Test drive".
func typeLabel(t string) string {
	for _, o := range recordTypes {
		if o.Value == t {
			return o.Label
		}
	}
	words := strings.ReplaceAll(t, "_", " ")
	if words == "" {
		return ""
	}
	return strings.ToUpper(words[:1]) + words[1:]
}

// sourceLabel says where an event came from: "web:zot.example" → "Web ·
// zot.example"; this dealer's own events say so.
func (s *Server) sourceLabel(source string) string {
	if d, ok := customer.DealerOf(source); ok {
		if d == s.dealer {
			return "This dealer (" + d + ")"
		}
		return "Dealer " + d
	}
	kind, rest, ok := strings.Cut(source, ":")
	if !ok {
		return source
	}
	return typeLabel(kind) + " · " + rest
}

// pendingKeys returns the keys (source, id) of events not yet
// acknowledged by the hub.
func (s *Server) pendingKeys() map[string]bool {
	out := map[string]bool{}
	pending, err := s.store.Pending(1000)
	if err != nil {
		s.log.Warn("read outbox", "err", err)
	}
	for i := range pending {
		out[pending[i].Event.Key()] = true
	}
	return out
}

// visitView is one line of today's up-log.
type visitView struct {
	Time, Link, Name, What, Staff, Vehicle string
	Pending                                bool
}

// visits builds today's up-log: events recorded here today, each shown
// with the profile it now belongs to. An event whose person is no longer
// here (erased at the hub) is left out.
func (s *Server) visits() []visitView {
	events, err := s.store.Visits(clock.Now())
	if err != nil {
		s.log.Warn("read up-log", "err", err)
	}
	pending := s.pendingKeys()
	var out []visitView
	for i := len(events) - 1; i >= 0; i-- { // newest first
		e := &events[i]
		p, q, ok := s.ownerOf(e)
		if !ok {
			continue
		}
		v := visitView{Time: e.OccurredAt.Local().Format("15:04"), Link: profileLink(&p, q), Name: displayName(&p),
			What: typeLabel(e.Type), Staff: e.Staff, Pending: pending[e.Key()]}
		if e.Vehicle != nil {
			v.Vehicle = e.Vehicle.Model
		}
		out = append(out, v)
	}
	return out
}

// ownerOf finds the profile, cached or provisional, whose timeline holds e.
func (s *Server) ownerOf(e *customer.Event) (customer.Profile, searchQuery, bool) {
	h := e.Customer
	for _, q := range []searchQuery{{by: "customer_id", value: h.CustomerID}, {by: "phone", value: h.Phone}, {by: "email", value: h.Email}} {
		if q.value == "" {
			continue
		}
		found, err := s.find(context.Background(), q, true)
		if err != nil {
			continue
		}
		for _, p := range found {
			if slices.ContainsFunc(p.Events, func(x customer.Event) bool { return x.Key() == e.Key() }) {
				return p, q, true
			}
		}
	}
	return customer.Profile{}, searchQuery{}, false
}

// vehicleLabel is "ZOT 9 · 2021 · VIN 1ZT…".
func vehicleLabel(v customer.Vehicle) string {
	parts := []string{v.Model}
	if v.Year != 0 {
		parts = append(parts, fmt.Sprint(v.Year))
	}
	if v.VIN != "" {
		parts = append(parts, "VIN "+v.VIN)
	}
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " · ")
}

// consent lists the latest consent the customer gave per attribute, from
// consent_changed events, e.g. "marketing_email: granted".
func consent(events []customer.Event) []string {
	latest := map[string]string{}
	for i := range events {
		if events[i].Type == "consent_changed" {
			for k, v := range events[i].Attributes {
				latest[k] = v
			}
		}
	}
	var out []string
	for k, v := range latest {
		out = append(out, strings.ReplaceAll(k, "_", " ")+": "+v)
	}
	slices.Sort(out)
	return out
}
