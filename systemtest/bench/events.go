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
			Phone: fmt.Sprintf("+1%03d555%04d", 200+cust/10000%800, cust%10000),
			Email: fmt.Sprintf("c%d.%s@example.com", cust, prefix), GivenName: "Anna", FamilyName: "Petrova",
			Address: &customer.Address{Line1: fmt.Sprintf("%d Main St", cust%997+1), PostalCode: zip + fmt.Sprintf("%02d", cust%100), Country: "US"},
		},
	}
	b, _ := json.Marshal(e)
	if pad := eventSize - len(b) - len(`,"note":""`); pad > 0 {
		e.Note = strings.Repeat("n", pad)
	}
	return e
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

// eventsJSON encodes events as one ingest request body.
func eventsJSON(events []customer.Event) []byte {
	if len(events) == 1 {
		b, _ := json.Marshal(events[0])
		return b
	}
	b, _ := json.Marshal(map[string]any{"events": events})
	return b
}
