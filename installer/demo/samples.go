package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// hubEvents is the history the hub is sent: web visits, calls and the
// dealer-system imports, one JSON event a line. Two of the people in it
// (Daniel Okafor, bought a car in 2019, and Dan Okafor, who walks in
// today) share a name, an address and a birth date but no email or
// phone: the one match candidate the demo has to review.
//
//go:embed sample-events.jsonl
var hubEvents []byte

// dealerEvents are today's showroom visits, recorded at the dealers'
// agents as staff would: {"dealer", "minutes_ago", "event"} a line, the
// event without occurred_at.
//
//go:embed dealer-events.jsonl
var dealerEvents []byte

// visit is a showroom interaction the demo records at a dealer today.
type visit struct {
	Dealer     string         `json:"dealer"`
	MinutesAgo int            `json:"minutes_ago"`
	Event      customer.Event `json:"event"`
}

// sampleHistory returns the hub's sample events, as sent.
func sampleHistory() []json.RawMessage {
	var events []json.RawMessage
	for line := range bytes.Lines(hubEvents) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			events = append(events, line)
		}
	}
	return events
}

// visitsToday returns the dealers' sample visits dated today: each
// minutes_ago before now, but not before today's local midnight, so
// they show on today's up-log whenever the demo runs.
func visitsToday(now time.Time) ([]visit, error) {
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	var out []visit
	sc := bufio.NewScanner(bytes.NewReader(dealerEvents))
	for sc.Scan() {
		var v visit
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("sample dealer event: %w", err)
		}
		v.Event.OccurredAt = later(midnight, now.Add(-time.Duration(v.MinutesAgo)*time.Minute)).UTC().Truncate(time.Second)
		out = append(out, v)
	}
	return out, sc.Err()
}

// later is the later of two times.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
