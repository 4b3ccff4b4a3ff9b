package state

import (
	"slices"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// phoneCall is a call whose caller id the phone network delivered.
func phoneCall(id, phone string) customer.Event {
	e := webEvent(id, customer.Hints{Phone: phone})
	e.Source, e.Channel, e.Type = "phone:tollfree", "phone", "call_inbound"
	return e
}

func householdOf(t *testing.T, s *State, cust string) []string {
	t.Helper()
	return profileOf(t, s, cust).Household.Members
}

// Eva and Tomas give the family e-mail at the dealer: they stay two
// people in one household, and each one's own calls and web visits
// still join them.
func TestShared_FamilyEmailKeepsTwoPeopleInOneHousehold(t *testing.T) {
	s := mustState(t)
	i := applyTrusted(t, s, 0,
		dealerVisit("v-eva", customer.Hints{Email: "novak.family@example.com", Phone: "+1 773 555 0142", GivenName: "Eva", BirthDate: "1981-04-02"}),
		dealerVisit("v-tomas", customer.Hints{Email: "novak.family@example.com", Phone: "+1 773 555 0177", GivenName: "Tomas", BirthDate: "1979-09-30"}),
	)
	eva, tomas := ownerOf(t, s, "phone:+17735550142"), ownerOf(t, s, "phone:+17735550177")
	if eva == tomas {
		t.Fatalf("the family e-mail folded Eva and Tomas into %s", eva)
	}
	i = applyTrusted(t, s, i,
		phoneCall("c-eva", "+1 773 555 0142"),
		phoneCall("c-tomas", "+1 773 555 0177"),
		webEvent("w-tomas", customer.Hints{Email: "novak.family@example.com", GivenName: "Tomas"}),
	)
	if n := len(profileOf(t, s, eva).Events); n != 2 {
		t.Errorf("Eva has %d events, want her visit and her call", n)
	}
	if n := len(profileOf(t, s, tomas).Events); n != 3 {
		t.Errorf("Tomas has %d events, want his visit, call and web form", n)
	}
	for _, c := range []string{eva, tomas} {
		if m := householdOf(t, s, c); !slices.Contains(m, eva) || !slices.Contains(m, tomas) {
			t.Errorf("household of %s = %v, want Eva and Tomas", c, m)
		}
		if p := profileOf(t, s, c); !slices.Contains(p.Emails, "novak.family@example.com") {
			t.Errorf("%s lost the shared e-mail: %v", c, p.Emails)
		}
	}
	var found []customer.Profile
	s.view(func(txn kv.Reader) { found = s.search(txn, Query{Email: "novak.family@example.com"}) })
	if len(found) != 2 {
		t.Errorf("a search by the shared e-mail finds %d people, want both", len(found))
	}
}

// A home phone shared by two people with their own e-mails and different
// birth dates keeps them apart, in one household.
func TestShared_HomePhoneKeepsTwoPeopleApart(t *testing.T) {
	s := mustState(t)
	applyTrusted(t, s, 0,
		dealerVisit("v-ann", customer.Hints{Phone: "+1 312 555 0100", Email: "ann@example.com", GivenName: "Ann", BirthDate: "1960-01-01"}),
		dealerVisit("v-joe", customer.Hints{Phone: "+1 312 555 0100", Email: "joe@example.com", GivenName: "Joe", BirthDate: "1958-05-05"}),
	)
	ann, joe := ownerOf(t, s, "email:ann@example.com"), ownerOf(t, s, "email:joe@example.com")
	if ann == joe {
		t.Fatal("the home phone folded Ann and Joe into one person")
	}
	if m := householdOf(t, s, ann); !slices.Contains(m, joe) {
		t.Errorf("household of Ann = %v, want Joe in it", m)
	}
}

// The dealership's main line typed for every walk-in stops joining and
// linking anyone once more people than the limit share it.
func TestShared_MainLineOfManyStopsJoiningAnyone(t *testing.T) {
	s := mustState(t)
	names := []string{"Ann", "Bob", "Cem", "Dan", "Eli", "Fay", "Gus"}
	for n, name := range names {
		e := dealerVisit("v-"+name, customer.Hints{Phone: "+1 312 555 0199", GivenName: name, BirthDate: "19" + string(rune('5'+n%5)) + "0-01-01"})
		applyTrusted(t, s, uint64(n), e)
	}
	late := dealerVisit("v-late", customer.Hints{Phone: "+1 312 555 0199", GivenName: "Hal", BirthDate: "1999-01-01"})
	applyTrusted(t, s, uint64(len(names)), late)
	var people []string
	s.view(func(txn kv.Reader) {
		for _, p := range s.search(txn, Query{Name: "hal"}) {
			people = append(people, p.CustomerID)
		}
	})
	if len(people) != 1 {
		t.Fatalf("Hal is %d people", len(people))
	}
	if m := householdOf(t, s, people[0]); len(m) != 1 {
		t.Errorf("the main line links Hal to %v, want nobody", m)
	}
}
