package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// eventSize is the JSON size of one benchmark event.
const eventSize = 500

var eventEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// synthEvent is event n of customer cust from source, padded with a note
// to eventSize bytes of JSON. Postal codes start with zip, so a dealer
// whose market is zip holds the customer in its scope.
func synthEvent(source, prefix string, n, cust int, zip string) customer.Event {
	e := customer.Event{
		ID: fmt.Sprintf("%s-%d", prefix, n), Source: source, Channel: channelOf(source), Type: "page_view",
		OccurredAt: eventEpoch.Add(time.Duration(n) * time.Second),
		Customer: customer.Hints{
			Phone: phoneOf(cust),
			Email: fmt.Sprintf("c%d.%s@example.com", cust, prefix), GivenName: givenNames[cust%len(givenNames)], FamilyName: familyName(cust / len(givenNames)),
			BirthDate: eventEpoch.AddDate(-80, 0, cust%20000).Format(time.DateOnly),
			Address:   &customer.Address{Line1: fmt.Sprintf("%d Main St", cust%997+1), PostalCode: zip + fmt.Sprintf("%02d", cust%100), Country: "US"},
		},
	}
	b, _ := json.Marshal(e)
	if pad := eventSize - len(b) - len(`,"note":""`); pad > 0 {
		e.Note = strings.Repeat("n", pad)
	}
	return e
}

// areaCodes are real US area codes, so numbers normalise as they would.
var areaCodes = []string{"312", "773", "217", "415", "212", "646", "718", "305", "617", "206"}

// phoneOf is customer n's phone number, unique for n below 8M.
func phoneOf(n int) string {
	return fmt.Sprintf("+1%s%07d", areaCodes[(n/800_000)%len(areaCodes)], 2_000_000+n%800_000)
}

func channelOf(source string) string {
	switch {
	case strings.HasPrefix(source, "dealer:"):
		return "showroom"
	case strings.HasPrefix(source, "phone:"):
		return "phone"
	}
	return "web"
}

// Names of the synthetic population: 20 given names times 400 family
// names, so name blocks fill as they do in a real market.
var (
	givenNames  = []string{"Anna", "Ivan", "Maria", "John", "Wei", "Fatima", "Lucas", "Olga", "Ahmed", "Sofia", "Noah", "Emma", "Liam", "Mia", "Raj", "Priya", "Tomas", "Eva", "Jan", "Lea"}
	familyStems = []string{"Pet", "Nov", "Kow", "Smi", "Gar", "Mar", "Lee", "Ram", "Ok", "Hal", "Jen", "Sil", "Coh", "Lar", "Dub", "Ros", "Tan", "Had", "Mur", "Nak"}
	familyEnds  = []string{"rov", "ak", "alski", "th", "cia", "tin", "son", "an", "afor", "vorsen", "berg", "ley", "ford", "wood", "ton", "ez", "ini", "escu", "ic", "sen"}
)

func familyName(n int) string {
	return familyStems[n%len(familyStems)] + familyEnds[(n/len(familyStems))%len(familyEnds)]
}

// eventsJSON encodes events as one ingest request body.
func eventsJSON(events []customer.Event) []byte {
	if len(events) == 1 {
		b, _ := json.Marshal(events[0])
		return b
	}
	b, _ := json.Marshal(map[string]any{"events": events})
	return b
}
