package customer

import (
	"strings"
	"time"
)

// Where an identifier comes from decides how far it is believed. A
// source that checked the person — staff at a dealer who saw them, a
// dealer system's record of a sale or service, the number a phone
// network delivered as caller ID — verifies the identifiers it gives. A
// website form, the snippet and a lead from a third party only claim
// them: anyone can type anyone's e-mail into a web form.

// verifyingSourceKinds are the source kinds whose identifiers are verified.
var verifyingSourceKinds = []string{"dealer", "import", "phone"}

// Verifies reports whether events of source verify the identifiers they
// carry (dealer:, import: and phone: sources) rather than claim them.
func Verifies(source string) bool {
	kind, _, ok := strings.Cut(source, ":")
	if !ok {
		return false
	}
	for _, k := range verifyingSourceKinds {
		if kind == k {
			return true
		}
	}
	return false
}

// Provenance is where one identifier of a profile came from: the sources
// that gave it, when it was first and last given, and whether any of
// them verifies it.
type Provenance struct {
	Identifier string    `json:"identifier"`
	Verified   bool      `json:"verified"`
	Sources    []string  `json:"sources"`
	FirstSeen  time.Time `json:"first_seen"`
	LastSeen   time.Time `json:"last_seen"`
}

// noteProvenance records that event e gave identifier id.
func (p *Profile) noteProvenance(e *Event, id string) {
	for i := range p.Provenance {
		pv := &p.Provenance[i]
		if pv.Identifier != id {
			continue
		}
		pv.Verified = pv.Verified || Verifies(e.Source)
		pv.Sources = appendUnique(pv.Sources, e.Source)
		pv.LastSeen = e.OccurredAt
		return
	}
	p.Provenance = append(p.Provenance, Provenance{
		Identifier: id, Verified: Verifies(e.Source), Sources: []string{e.Source},
		FirstSeen: e.OccurredAt, LastSeen: e.OccurredAt,
	})
}

// claimedIdentifiers lists the identifiers that only claims gave.
func (p *Profile) claimedIdentifiers() []string {
	out := []string{}
	for _, pv := range p.Provenance {
		if !pv.Verified {
			out = append(out, pv.Identifier)
		}
	}
	return out
}

// Claimed reports whether only unverified sources gave identifier id to
// the profile: a search that matched through it found a claim, not a
// person a dealer has met.
func (p *Profile) Claimed(id Identifier) bool {
	for _, c := range p.ClaimedIdentifiers {
		if c == string(id) {
			return true
		}
	}
	return false
}
