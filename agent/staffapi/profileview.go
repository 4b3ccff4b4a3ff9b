package staffapi

import (
	"net/url"
	"slices"
	"strings"

	"github.com/touchpoint/touchpoint/customer"
)

// profileView is the profile page's content.
type profileView struct {
	ID, Name, Stage, Tier, Link, BirthDate string
	Provisional                            bool
	Phones, Emails, Addresses, Consent     []string
	Channels                               []string
	Stages                                 []stageView
	Moments                                []momentView
	Members                                []memberView
	HouseholdCars, OwnCars, Interest       []string
	Events                                 []eventView
	// Hints a recorded event carries: the customer id, or for a
	// provisional profile its first phone and email.
	RecordCustomerID, RecordPhone, RecordEmail string
}

type stageView struct {
	Label            string
	Reached, Current bool
}

type momentView struct{ Label, When string }

type memberView struct {
	Link, Name string
	Self       bool
}

// eventView is one row of the timeline.
type eventView struct {
	When, Channel, What, Source, Vehicle, Staff, Note, Attributes string
	Pending, Here                                                 bool
}

// momentLabels name the moments of truth, in journey order.
var momentLabels = []option{
	{"first_test_drive", "First test drive"}, {"first_purchase", "First purchase"},
	{"first_delivery", "First delivery"}, {"first_service", "First service"},
}

func (s *Server) profileView(p *customer.Profile, q searchQuery) *profileView {
	v := &profileView{
		ID: p.CustomerID, Name: displayName(p), Stage: p.JourneyStage, Tier: p.ValueTier, Link: profileLink(p, q),
		BirthDate: p.BirthDate, Provisional: p.Provisional, Phones: phoneLabels(p.Phones), Emails: p.Emails,
		Consent: consent(p.Events), Channels: p.Channels,
	}
	for _, a := range p.Addresses {
		v.Addresses = append(v.Addresses, strings.Join(nonEmpty(a.Line1, a.City, a.PostalCode, a.Country), ", "))
	}
	reached := slices.Index(customer.Stages, p.JourneyStage)
	for i, st := range customer.Stages {
		v.Stages = append(v.Stages, stageView{Label: typeLabel(st), Reached: i <= reached, Current: i == reached})
	}
	for _, m := range momentLabels {
		mv := momentView{Label: m.Label, When: "not yet"}
		if t, ok := p.Moments[m.Value]; ok {
			mv.When = when(t)
		}
		v.Moments = append(v.Moments, mv)
	}
	v.Members = s.members(p)
	v.HouseholdCars = vehicleLabels(p.Household.Vehicles)
	v.OwnCars = vehicleLabels(p.Owned)
	v.Interest = interest(p)
	v.Events = s.timeline(p)
	if p.Provisional {
		v.RecordPhone, v.RecordEmail = first(p.Phones), first(p.Emails)
	} else {
		v.RecordCustomerID = p.CustomerID
	}
	return v
}

// members lists the household, with names for the members cached here.
func (s *Server) members(p *customer.Profile) []memberView {
	var out []memberView
	for _, id := range p.Household.Members {
		m := memberView{Link: "/customers/" + url.PathEscape(id), Name: id, Self: id == p.CustomerID}
		if m.Self {
			m.Name = displayName(p)
		} else if other, err := s.store.Profile(id); err == nil {
			m.Name = displayName(&other)
		}
		out = append(out, m)
	}
	return out
}

// timeline is the profile's events, newest first, marking the ones
// recorded here and not yet acknowledged by the hub.
func (s *Server) timeline(p *customer.Profile) []eventView {
	pending := s.pendingKeys()
	out := make([]eventView, 0, len(p.Events))
	for i := len(p.Events) - 1; i >= 0; i-- {
		e := &p.Events[i]
		ev := eventView{
			When: when(e.OccurredAt), Channel: e.Channel, What: typeLabel(e.Type), Source: s.sourceLabel(e.Source),
			Staff: e.Staff, Note: e.Note, Attributes: attributes(e.Attributes), Pending: pending[e.Key()],
			Here: e.Source == "dealer:"+s.dealer,
		}
		if e.Vehicle != nil {
			ev.Vehicle = vehicleLabel(*e.Vehicle)
		}
		out = append(out, ev)
	}
	return out
}

// interest lists the models the customer looked at without owning them.
func interest(p *customer.Profile) []string {
	var out []string
	for _, v := range p.Vehicles {
		if v.VIN == "" && v.Model != "" && !slices.Contains(out, v.Model) {
			out = append(out, v.Model)
		}
	}
	return out
}

func vehicleLabels(list []customer.Vehicle) []string {
	var out []string
	for _, v := range list {
		out = append(out, vehicleLabel(v))
	}
	return out
}

func attributes(m map[string]string) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, strings.ReplaceAll(k, "_", " ")+": "+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, "; ")
}

func nonEmpty(list ...string) []string {
	return slices.DeleteFunc(list, func(s string) bool { return strings.TrimSpace(s) == "" })
}

func first(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}
