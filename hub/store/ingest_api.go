package store

import (
	"context"
	"fmt"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// Ingest commits validated events and returns a result per event once
// they are committed. Concurrent calls share Raft entries (group commit,
// see groupcommit.go). Identifiers are derived here, on the proposing
// node, so Apply never normalises.
func (s *Store) Ingest(ctx context.Context, events []customer.Event) ([]protocol.Result, error) {
	in := make([]state.IngestEvent, len(events))
	for i := range events {
		ids := events[i].Customer.Identifiers(s.RegionOf(events[i].Source))
		in[i] = state.IngestEvent{Event: events[i], Identifiers: s.joinable(ids), Verified: customer.Verifies(events[i].Source)}
	}
	res, err := s.ingest.submit(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("ingest %d events: %w", len(events), err)
	}
	return res, nil
}

// applyIngest commits one group's events as one ingest command.
func (s *Store) applyIngest(ctx context.Context, body *state.IngestBody) ([]protocol.Result, error) {
	res, err := s.ApplyOne(ctx, s.ingestCommand(), body)
	if err != nil {
		return nil, err
	}
	return res.Events, nil
}

// RegionOf returns the country assumed for phone numbers in events from
// source: a dealer's own country, else the hub's default region.
func (s *Store) RegionOf(source string) string {
	if id, ok := customer.DealerOf(source); ok {
		if d, ok := s.Dealer(id); ok && d.Country != "" {
			return d.Country
		}
	}
	return s.cfg.Region
}

// joinable drops identifiers that must never join people.
func (s *Store) joinable(ids []customer.Identifier) []string {
	var out []string
	for _, id := range ids {
		if !customer.Blocked(id, s.cfg.BlockedIdentifiers) {
			out = append(out, string(id))
		}
	}
	return out
}
