package main

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/hub/state/badgerkv"
)

// sampleHub applies the demo's data to a hub's customer graph as the
// demo sends it: the dealers, the history in one batch, then each of
// today's visits as its dealer's agent syncs it.
func sampleHub(t *testing.T, now time.Time) (*state.State, []visit) {
	t.Helper()
	db, err := badgerkv.Open(t.TempDir(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	st := state.New(db, "US")
	var index uint64
	apply := func(typ state.CommandType, body any) {
		t.Helper()
		cmd, err := state.NewCommand(typ, body)
		if err != nil {
			t.Fatal(err)
		}
		index++
		for _, r := range st.ApplyEntry(index, &state.Entry{Time: now.UnixNano(), Commands: []state.Command{cmd}}) {
			if r.Error != "" {
				t.Fatalf("apply %v: %s", typ, r.Error)
			}
		}
	}
	ingest := func(events ...customer.Event) {
		t.Helper()
		body := state.IngestBody{}
		for _, e := range events {
			if err := e.Validate(); err != nil {
				t.Fatalf("sample event %s: %v", e.ID, err)
			}
			var ids []string
			for _, id := range e.Customer.Identifiers("US") {
				ids = append(ids, string(id))
			}
			body.Events = append(body.Events, state.IngestEvent{Event: e, Identifiers: ids})
		}
		apply(state.CmdIngest, &body)
	}
	for _, d := range dealers {
		apply(state.CmdPutDealer, &state.Dealer{ID: d.id, Name: d.name, Country: "US", Market: []string{d.market}})
	}
	var history []customer.Event
	for _, raw := range sampleHistory() {
		e, ferr := customer.DecodeEvent(raw)
		if ferr != nil {
			t.Fatalf("sample event %s: %v", raw, ferr)
		}
		history = append(history, e)
	}
	ingest(history...)
	visits, err := visitsToday(now)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range visits {
		v.Event.Source = "dealer:" + v.Dealer
		ingest(v.Event)
	}
	return st, visits
}

// The demo's data raises exactly one match candidate, Daniel Okafor
// (bought in 2019) and Dan Okafor (walked in at D-017 today): alike in
// name, address and birth date, with no email or phone in common. It is
// in D-017's scope, so its staff page can review it.
func TestSamples_RaiseOneCandidateForD017(t *testing.T) {
	st, _ := sampleHub(t, time.Now())
	var open []state.Candidate
	for _, c := range st.Candidates() {
		if c.Status == state.CandidateOpen {
			open = append(open, c)
		}
	}
	if len(open) != 1 {
		t.Fatalf("%d open candidates, want 1: %+v", len(open), open)
	}
	a, _ := st.Profile(open[0].A)
	b, _ := st.Profile(open[0].B)
	names := a.GivenName + " " + a.FamilyName + " / " + b.GivenName + " " + b.FamilyName
	if names != "Daniel Okafor / Dan Okafor" && names != "Dan Okafor / Daniel Okafor" {
		t.Errorf("the candidate is %s, want Daniel and Dan Okafor", names)
	}
	if inScope := st.CandidatesInScope("D-017", 10); len(inScope) != 1 {
		t.Errorf("D-017 can review %d candidates, want 1", len(inScope))
	}
}

// Today's visits are dated today in local time and never in the future,
// whatever the time of day: they make today's up-log.
func TestSamples_VisitsAreToday(t *testing.T) {
	for _, clock := range []string{"00:05", "01:00", "09:30", "23:59"} {
		hm, _ := time.Parse("15:04", clock)
		now := time.Date(2026, 12, 2, hm.Hour(), hm.Minute(), 0, 0, time.Local)
		visits, err := visitsToday(now)
		if err != nil || len(visits) < 3 {
			t.Fatalf("at %s: %d visits, %v", clock, len(visits), err)
		}
		for _, v := range visits {
			at := v.Event.OccurredAt.Local()
			if at.Format(time.DateOnly) != "2026-12-02" || at.After(now) {
				t.Errorf("at %s: %s at %s, want today and not later than now", clock, v.Event.ID, at)
			}
			if !strings.HasPrefix(v.Dealer, "D-") {
				t.Errorf("visit %s at dealer %q", v.Event.ID, v.Dealer)
			}
		}
	}
}
