package state

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/badgerkv"
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// mustBadger opens a quiet Badger database in a temporary directory.
func mustBadger(t testing.TB) kv.DB {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := badgerkv.Open(t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// mustState opens an empty FSM state with the US as default region.
func mustState(t testing.TB) *State {
	t.Helper()
	return New(mustBadger(t), "US")
}

// dump returns every key and value of db.
func dump(t *testing.T, db kv.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := db.View(func(r kv.Reader) error {
		return r.Scan(nil, nil, true, func(k, v []byte) bool {
			out[string(k)] = string(v)
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// diffDumps describes how two dumps differ, or returns "".
func diffDumps(got, want map[string]string) string {
	var b bytes.Buffer
	for k, v := range want {
		if g, ok := got[k]; !ok {
			fmt.Fprintf(&b, "missing %q\n", k)
		} else if g != v {
			fmt.Fprintf(&b, "changed %q\n", k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			fmt.Fprintf(&b, "extra %q\n", k)
		}
	}
	return b.String()
}

// mustCommand encodes one command.
func mustCommand(t *testing.T, typ CommandType, body any) Command {
	t.Helper()
	cmd, err := NewCommand(typ, body)
	if err != nil {
		t.Fatal(err)
	}
	return cmd
}

// ingestCommand builds an ingest command the way Store.Ingest does.
func ingestCommand(t *testing.T, events ...customer.Event) Command {
	t.Helper()
	return provenanceCommand(t, events...)
}

// legacyIngestCommand builds an ingest as nodes proposed it before
// provenance: a log written then must replay as it applied then.
func legacyIngestCommand(t *testing.T, events ...customer.Event) Command {
	t.Helper()
	body := IngestBody{}
	for _, e := range events {
		if err := e.Validate(); err != nil {
			t.Fatalf("test event %s: %v", e.ID, err)
		}
		body.Events = append(body.Events, IngestEvent{Event: e, Identifiers: identifierStrings(e.Customer.Identifiers("US"))})
	}
	return mustCommand(t, CmdIngest, &body)
}

// webEvent is a valid web event with the given identity hints.
func webEvent(id string, hints customer.Hints) customer.Event {
	return customer.Event{
		ID: id, Channel: "web", Type: "page_view", Source: "web:zot.example",
		OccurredAt: time.Date(2026, 11, 2, 18, 22, 5, 0, time.UTC), Customer: hints,
	}
}

// sampleEntries is a log touching every command type: a dealer, events
// that create, deduplicate and merge customers, a token and its use, a
// node and a subscription.
func sampleEntries(t *testing.T) []*Entry {
	t.Helper()
	const now = int64(1_790_000_000) * 1e9
	dealerEvent := webEvent("d-1", customer.Hints{Phone: "+1 650 253 0000"})
	dealerEvent.Source = "dealer:D1"
	return []*Entry{
		{Time: now, Commands: []Command{
			mustCommand(t, CmdPutDealer, &Dealer{ID: "D1", Name: "Zot Palo Alto", Country: "US", Market: []string{"943"}}),
			mustCommand(t, CmdPutNode, &Node{ID: "n1", RaftAddr: "127.0.0.1:1", HTTPAddr: "127.0.0.1:2"}),
		}},
		{Time: now + 1, Commands: []Command{ingestCommand(t,
			webEvent("w-1", customer.Hints{Email: "ann@example.com", GivenName: "Ann",
				Address: &customer.Address{PostalCode: "94301", Country: "US"}}),
			webEvent("w-2", customer.Hints{WebID: "cookie-9"}),
		)}},
		{Time: now + 2, Commands: []Command{ingestCommand(t,
			dealerEvent,
			webEvent("w-1", customer.Hints{Email: "ann@example.com", GivenName: "Ann",
				Address: &customer.Address{PostalCode: "94301", Country: "US"}}), // duplicate
			webEvent("w-3", customer.Hints{Email: "ANN@example.com", Phone: "650 253 0000", WebID: "cookie-9"}),
		)}},
		{Time: now + 3, Commands: []Command{
			mustCommand(t, CmdAddToken, &Token{Hash: HashSecret("tok"), Dealer: "D1", ExpiresAt: now/1e9 + 3600}),
			mustCommand(t, CmdEnroll, &EnrollBody{TokenHash: HashSecret("tok"), AgentID: "A1", SecretHash: HashSecret("s"), Hostname: "pc1"}),
			mustCommand(t, CmdSubscribe, &SubscribeBody{Dealer: "D2", Customers: []string{"C000000001"}}),
		}},
	}
}

// applyAll applies entries at indexes 1, 2, ...
func applyAll(s *State, entries []*Entry) {
	for i, e := range entries {
		s.ApplyEntry(uint64(i+1), e)
	}
}

// identifierStrings is ids as the strings an ingest command carries.
func identifierStrings(ids []customer.Identifier) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}
