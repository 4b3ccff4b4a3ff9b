package state

import (
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

var (
	benchGiven  = []string{"Anna", "Ivan", "Maria", "John", "Wei", "Fatima", "Lucas", "Olga", "Ahmed", "Sofia", "Noah", "Emma", "Liam", "Mia", "Raj", "Priya", "Tomas", "Eva", "Jan", "Lea"}
	benchFamily = func() []string {
		var out []string
		for _, a := range []string{"Pet", "Nov", "Kow", "Smi", "Gar", "Mar", "Lee", "Ram", "Ok", "Hal"} {
			for _, b := range []string{"rov", "ak", "alski", "th", "cia", "tin", "son", "an", "afor", "vorsen", "berg", "ley", "ford", "wood", "ton", "ez", "ini", "escu", "ić", "sen"} {
				out = append(out, a+b)
			}
		}
		return out
	}()
)

// benchEvent is the n-th event of a synthetic population where every
// customer has five events: a web visit, a brochure, a call, a visit and
// a test drive, joined by phone and email.
func benchEvent(n int) customer.Event {
	c := n / 5
	e := customer.Event{
		ID: fmt.Sprintf("e%d", n), Source: "web:bench", Channel: "web", Type: "page_view",
		OccurredAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Second),
		Customer:   customer.Hints{Phone: fmt.Sprintf("+1312%07d", 1000000+c), WebID: fmt.Sprintf("w%d", c)},
	}
	if n%5 >= 1 {
		e.Type = "brochure_requested"
		e.Customer.Email = fmt.Sprintf("c%d@example.com", c)
		e.Customer.GivenName, e.Customer.FamilyName = benchGiven[c%len(benchGiven)], benchFamily[(c/7)%len(benchFamily)]
		e.Customer.BirthDate = time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, c%20000).Format(time.DateOnly)
		e.Customer.Address = &customer.Address{
			Line1:      fmt.Sprintf("%d %s St", 1+c%997, benchFamily[(c/13)%len(benchFamily)]),
			PostalCode: fmt.Sprintf("%05d", 10000+(c*7919)%40000), // about as many postcodes as the US has
		}
	}
	return e
}

func benchIngest(tb testing.TB, s *State, idx *uint64, from, to int) {
	for i := from; i < to; i += 100 {
		body := IngestBody{}
		for n := i; n < min(i+100, to); n++ {
			e := benchEvent(n)
			body.Events = append(body.Events, IngestEvent{Event: e, Identifiers: identifierStrings(e.Customer.Identifiers("US"))})
		}
		cmd, err := NewCommand(CmdIngest, &body)
		if err != nil {
			tb.Fatal(err)
		}
		*idx++
		s.ApplyEntry(*idx, &Entry{Time: 1e18, Commands: []Command{cmd}})
	}
}

// BenchmarkResolution measures the cost of resolving one event (dedup,
// identifier join, profile derivation, household and candidate search) in
// an FSM already holding 10k, 100k or (with TOUCHPOINT_BENCH_LARGE=1) 1M
// events of 2k, 20k or 200k customers. Flat ns/op across sizes is the
// target.
func BenchmarkResolution(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if os.Getenv("TOUCHPOINT_BENCH_LARGE") != "" {
		sizes = append(sizes, 1_000_000)
	}
	if only := os.Getenv("TOUCHPOINT_BENCH_SIZES"); only != "" {
		sizes = parseSizes(b, only)
	}
	for _, size := range sizes {
		b.Run(fmt.Sprintf("events=%d", size), func(b *testing.B) {
			s := mustState(b)
			var idx uint64
			benchIngest(b, s, &idx, 0, size)
			stop := profileMeasured(b, size)
			b.ResetTimer()
			benchIngest(b, s, &idx, size, size+b.N)
			b.StopTimer()
			stop()
		})
	}
}

// parseSizes reads TOUCHPOINT_BENCH_SIZES, e.g. "10000,300000".
func parseSizes(b *testing.B, list string) []int {
	var sizes []int
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			b.Fatalf("TOUCHPOINT_BENCH_SIZES: %q is not a positive count", f)
		}
		sizes = append(sizes, n)
	}
	return sizes
}

// profileMeasured writes a CPU profile of the measured part only (not the
// preload) to $TOUCHPOINT_BENCH_PROFILE.<size> when that is set.
func profileMeasured(b *testing.B, size int) func() {
	dir := os.Getenv("TOUCHPOINT_BENCH_PROFILE")
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s.%d", dir, size))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}
