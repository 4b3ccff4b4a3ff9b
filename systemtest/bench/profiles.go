package main

import (
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/touchpoint/touchpoint/agent/localstore"
	"github.com/touchpoint/touchpoint/customer"
)

// longTimeline is the timeline length of the profiles looked up.
const longTimeline = 50

// profilePhone is the phone number of synthetic profile i.
func profilePhone(i int) string { return phoneOf(i) }

// isLookedUp reports whether profile i is one of those with a long
// timeline that the lookups ask for: one in a hundred.
func isLookedUp(i int) bool { return i%100 == 7 }

// synthProfile is cached profile i: one in a hundred has a 50-event
// timeline (they are the ones looked up), the others three events.
func synthProfile(i int) customer.Profile {
	n := 3
	if isLookedUp(i) {
		n = longTimeline
	}
	hints := customer.Hints{Phone: profilePhone(i), Email: fmt.Sprintf("p%d@example.com", i),
		GivenName: givenNames[i%len(givenNames)], FamilyName: familyName(i / len(givenNames))}
	events := make([]customer.Event, n)
	for k := range events {
		events[k] = customer.Event{ID: fmt.Sprintf("p%d-%d", i, k), Channel: "web", Type: "page_view", Source: "web:zot.example",
			OccurredAt: eventEpoch.Add(time.Duration(k) * time.Hour), Customer: hints, Note: "viewed the configurator"}
	}
	ids := []customer.Identifier{
		customer.NewIdentifier(customer.KindEmail, customer.NormalizeEmail(hints.Email)),
		customer.NewIdentifier(customer.KindPhone, hints.Phone),
	}
	p := customer.DeriveProfile(fmt.Sprintf("C-%07d", i), events, func(*customer.Event) []customer.Identifier { return ids })
	p.Version = 1
	return p
}

// fillStore caches profiles [from, to) in an agent store in batches of 500.
func fillStore(s *localstore.Store, from, to int) error {
	const batch = 500
	for i := from; i < to; i += batch {
		profiles := make([]customer.Profile, 0, batch)
		for j := i; j < min(i+batch, to); j++ {
			profiles = append(profiles, synthProfile(j))
		}
		if err := s.PutProfiles(profiles); err != nil {
			return fmt.Errorf("cache profiles %d..: %w", i, err)
		}
	}
	return nil
}

func openAgentStore(dir string, key []byte) (*localstore.Store, error) {
	return localstore.Open(dir, localstore.Options{Region: "US", EncryptionKey: key, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}
