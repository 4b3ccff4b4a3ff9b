package customer

import (
	"slices"
	"sort"
	"time"
)

// Profile is the joined customer, derived from its events: replaying the
// same events always yields the same profile.
type Profile struct {
	CustomerID   string               `json:"customer_id"`
	Version      uint64               `json:"version"`
	GivenName    string               `json:"given_name"`
	FamilyName   string               `json:"family_name"`
	BirthDate    string               `json:"birth_date,omitempty"`
	Emails       []string             `json:"emails"`
	Phones       []string             `json:"phones"`
	WebIDs       []string             `json:"web_ids"`
	Addresses    []Address            `json:"addresses"`
	HouseholdID  string               `json:"household_id"`
	Household    Household            `json:"household"`
	Vehicles     []Vehicle            `json:"vehicles"`
	Channels     []string             `json:"channels"`
	Sources      []string             `json:"sources"`
	JourneyStage string               `json:"journey_stage"`
	Moments      map[string]time.Time `json:"moments"`
	ValueTier    string               `json:"value_tier"`
	Owned        []Vehicle            `json:"owned_vehicles"`
	Provisional  bool                 `json:"provisional,omitempty"`
	Events       []Event              `json:"events"`
	Identifiers  []string             `json:"identifiers"`
	// ClaimedIdentifiers are the identifiers that only unverified sources
	// (web forms, leads) gave; Provenance says where each came from.
	ClaimedIdentifiers []string     `json:"claimed_identifiers"`
	Provenance         []Provenance `json:"provenance"`
	Dealers            []string     `json:"-"`
	PostalCodes        []string     `json:"-"`
	NameTokens         []string     `json:"-"`
}

// Household groups the people who share cars or an address.
type Household struct {
	Members  []string  `json:"members"`
	Vehicles []Vehicle `json:"vehicles"`
}

// BuildProfile derives the profile of customer id from its events. Phone
// numbers without a country code are read as numbers of region.
func BuildProfile(id string, events []Event, region string) Profile {
	return DeriveProfile(id, events, func(e *Event) []Identifier { return e.Customer.Identifiers(region) })
}

// DeriveProfile is BuildProfile for callers that stored each event's
// identifiers when it arrived: idents returns them, saving the
// normalisation.
func DeriveProfile(id string, events []Event, idents func(*Event) []Identifier) Profile {
	sorted := slices.Clone(events)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Before(&sorted[j]) })
	p := Profile{CustomerID: id, HouseholdID: id, Events: sorted}
	for i := range sorted {
		p.absorb(&sorted[i], idents(&sorted[i]))
	}
	p.JourneyStage = StageOf(sorted)
	p.Moments = moments(sorted)
	p.Owned = OwnedVehicles(sorted)
	p.ValueTier = ValueTier(countType(sorted, "purchase"), len(p.Owned))
	p.NameTokens = NameTokens(p.GivenName, p.FamilyName)
	p.Household = Household{Members: []string{id}, Vehicles: p.Owned}
	p.ClaimedIdentifiers = p.claimedIdentifiers()
	p.fillEmpty()
	return p
}

// absorb folds one event, in timeline order, into the profile: later
// events win for names, every identifier and address is kept once.
func (p *Profile) absorb(e *Event, ids []Identifier) {
	h := &e.Customer
	if h.GivenName != "" {
		p.GivenName = h.GivenName
	}
	if h.FamilyName != "" {
		p.FamilyName = h.FamilyName
	}
	if h.BirthDate != "" {
		p.BirthDate = h.BirthDate
	}
	for _, id := range ids {
		p.Identifiers = appendUnique(p.Identifiers, string(id))
		p.noteProvenance(e, string(id))
		switch id.Kind() {
		case KindEmail:
			p.Emails = appendUnique(p.Emails, id.Value())
		case KindPhone:
			p.Phones = appendUnique(p.Phones, id.Value())
		case KindWebID:
			p.WebIDs = appendUnique(p.WebIDs, id.Value())
		}
	}
	if a := h.Address; a != nil && *a != (Address{}) && !slices.Contains(p.Addresses, *a) {
		p.Addresses = append(p.Addresses, *a)
		p.PostalCodes = appendUnique(p.PostalCodes, a.PostalCode)
	}
	if v := e.Vehicle; v != nil && (v.VIN != "" || v.Model != "") {
		p.addVehicle(*v)
	}
	p.Channels = appendUnique(p.Channels, e.Channel)
	p.Sources = appendUnique(p.Sources, e.Source)
	if dealer, ok := DealerOf(e.Source); ok {
		p.Dealers = appendUnique(p.Dealers, dealer)
	}
}

// addVehicle keeps one entry per VIN; vehicles without a VIN are interest
// in a model and are kept once per model.
func (p *Profile) addVehicle(v Vehicle) {
	for i, have := range p.Vehicles {
		sameVIN := v.VIN != "" && have.VIN == v.VIN
		sameModel := v.VIN == "" && have.VIN == "" && have.Model == v.Model
		if sameVIN || sameModel {
			if v.Year != 0 {
				p.Vehicles[i].Year = v.Year
			}
			return
		}
	}
	p.Vehicles = append(p.Vehicles, v)
}

// fillEmpty makes list fields encode as [] rather than null.
func (p *Profile) fillEmpty() {
	for _, list := range []*[]string{&p.Emails, &p.Phones, &p.WebIDs, &p.Channels, &p.Sources, &p.Identifiers} {
		if *list == nil {
			*list = []string{}
		}
	}
	if p.Provenance == nil {
		p.Provenance = []Provenance{}
	}
	if p.Addresses == nil {
		p.Addresses = []Address{}
	}
	if p.Vehicles == nil {
		p.Vehicles = []Vehicle{}
	}
	if p.Owned == nil {
		p.Owned = []Vehicle{}
		p.Household.Vehicles = p.Owned
	}
	if p.Events == nil {
		p.Events = []Event{}
	}
}

// DealerOf returns the dealer id of a dealer:<id> source.
func DealerOf(source string) (string, bool) {
	const prefix = "dealer:"
	if len(source) > len(prefix) && source[:len(prefix)] == prefix {
		return source[len(prefix):], true
	}
	return "", false
}
