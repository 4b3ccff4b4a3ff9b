package staffapi

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// candidateView is one pair on the review page.
type candidateView struct {
	ID, Score, Reason string
	A, B              sideView
	Evidence          []evidenceView
}

// sideView is what staff compare of one person.
type sideView struct {
	ID, Name, Link, BirthDate, Last string
	Phones, Emails, Addresses       []string
	Events                          string // "3 events"
}

type evidenceView struct {
	Field, A, B, Similarity string
	Strong                  bool
}

var evidenceLabels = map[string]string{
	"name": "Name", "birth_date": "Birth date", "street": "Street", "number": "House number",
	"city": "City", "postal_code": "Postcode", "identifiers": "Shared phone or email",
}

func candidateViewOf(c *protocol.CandidateView) candidateView {
	v := candidateView{ID: c.ID, Score: percent(c.Score), Reason: c.Reason, A: sideOf(&c.A), B: sideOf(&c.B)}
	for _, e := range c.Evidence {
		label := evidenceLabels[e.Field]
		if label == "" {
			label = e.Field
		}
		v.Evidence = append(v.Evidence, evidenceView{Field: label, A: e.A, B: e.B, Similarity: percent(e.Similarity), Strong: e.Similarity >= 0.9})
	}
	return v
}

func sideOf(p *customer.Profile) sideView {
	v := sideView{
		ID: p.CustomerID, Name: displayName(p), Link: "/customers/" + url.PathEscape(p.CustomerID),
		BirthDate: p.BirthDate, Phones: phoneLabels(p.Phones), Emails: p.Emails, Events: plural(len(p.Events), "event"),
	}
	for _, a := range p.Addresses {
		v.Addresses = append(v.Addresses, strings.Join(nonEmpty(a.Line1, a.City, a.PostalCode, a.Country), ", "))
	}
	if n := len(p.Events); n > 0 {
		e := p.Events[n-1]
		v.Last = typeLabel(e.Type) + ", " + when(e.OccurredAt)
	}
	return v
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }
