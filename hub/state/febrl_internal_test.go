package state

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// febrlEvents loads Febrl person records as events with no email or
// phone: only fuzzy evidence can link them. It returns the events and the
// true person of each event id.
func febrlEvents(tb testing.TB, files ...string) ([]customer.Event, map[string]string) {
	tb.Helper()
	var events []customer.Event
	truth := map[string]string{}
	for _, name := range files {
		f, err := os.Open("../../../shared/datasets/febrl/" + name)
		if err != nil {
			tb.Skipf("febrl data not available: %v", err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			tb.Fatal(err)
		}
		for _, r := range rows[1:] {
			for i := range r {
				r[i] = strings.TrimSpace(r[i])
			}
			e := customer.Event{
				ID: r[0], Source: "import:" + strings.TrimSuffix(name, ".csv"), Channel: "mail", Type: "contact_updated",
				OccurredAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
				Customer: customer.Hints{GivenName: r[1], FamilyName: r[2], BirthDate: isoDate(r[9]),
					Address: &customer.Address{Line1: strings.TrimSpace(r[3] + " " + r[4]), City: r[6], PostalCode: r[7], Country: "AU"}},
			}
			if e.Validate() != nil {
				tb.Fatalf("record %s does not validate: %v", r[0], e.Validate())
			}
			events = append(events, e)
			truth[e.ID] = strings.Split(r[0], "-")[1]
		}
	}
	return events, truth
}

// isoDate turns 19900304 into 1990-03-04, or "" when it is no date.
func isoDate(d string) string {
	if len(d) != 8 {
		return ""
	}
	iso := d[:4] + "-" + d[4:6] + "-" + d[6:]
	if _, err := time.Parse(time.DateOnly, iso); err != nil {
		return ""
	}
	return iso
}

// ingestFebrl applies the events in entries of 500, as a busy import would.
func ingestFebrl(t testing.TB, s *State, events []customer.Event) {
	for i, idx := 0, uint64(1); i < len(events); i, idx = i+500, idx+1 {
		batch := events[i:min(i+500, len(events))]
		body := IngestBody{}
		for _, e := range batch {
			body.Events = append(body.Events, IngestEvent{Event: e})
		}
		cmd, err := NewCommand(CmdIngestProvenance, &body)
		if err != nil {
			t.Fatal(err)
		}
		s.ApplyEntry(idx, &Entry{Time: 1e18, Commands: []Command{cmd}})
	}
}

// The Febrl data loaded through the FSM: fuzzy evidence merges nobody,
// and the open candidates find the true duplicates with recall and
// precision of at least 0.95.
func TestIdentity_FebrlThroughTheHub(t *testing.T) {
	for _, set := range [][]string{{"dataset4a.csv", "dataset4b.csv"}, {"dataset3.csv"}} {
		events, truth := febrlEvents(t, set...)
		s := mustState(t)
		ingestFebrl(t, s, events)

		var merges, customers int
		var cands []Candidate
		owner := map[string]string{}
		s.view(func(txn kv.Reader) {
			merges = len(keysUnder(txn, []byte(prefixMergeRecord)))
			customers = int(decodeUint(mustGet(txn, keyCustomerSeq)))
			cands = s.openCandidates(txn)
			for _, e := range events {
				o, _ := get(txn, key(prefixEventOwner, e.Source, e.ID))
				owner[string(o)] = truth[e.ID]
			}
		})
		if merges != 0 || customers != len(events) {
			t.Errorf("%v: %d merges, %d customers for %d records; fuzzy evidence must merge nobody", set, merges, customers, len(events))
		}
		tp := 0
		for _, c := range cands {
			if owner[c.A] == owner[c.B] {
				tp++
			}
		}
		size := map[string]int{}
		for _, p := range truth {
			size[p]++
		}
		pairs := 0
		for _, n := range size {
			pairs += n * (n - 1) / 2
		}
		precision, recall := float64(tp)/float64(len(cands)), float64(tp)/float64(pairs)
		t.Logf("%v: %d records, %d candidates, %d true, %d true pairs: precision %.3f, recall %.3f, auto-merges %d",
			set, len(events), len(cands), tp, pairs, precision, recall, merges)
		if precision < 0.95 || recall < 0.95 {
			t.Errorf("%v: precision %.3f, recall %.3f; want both >= 0.95", set, precision, recall)
		}
	}
}

func mustGet(r kv.Reader, k []byte) []byte {
	v, _ := get(r, k)
	return v
}
