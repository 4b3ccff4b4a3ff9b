package localstore

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// benchProfiles is how many profiles the lookup benchmark caches: a large
// dealer's scope.
const benchProfiles = 100_000

var (
	benchGiven = []string{"Anna", "Ivan", "Maria", "James", "Olga", "Priya", "Chen", "Eva", "Lucas", "Sofia",
		"Omar", "Hannah", "Mateo", "Aisha", "Noah", "Yuki", "Elena", "David", "Fatima", "Liam"}
	// benchFamily are common surnames of a US market, some of them alike
	// (Petrov, Petrova; Ivanov, Ivanova; Jensen, Jenson), as in life.
	benchFamily = []string{"Petrova", "Petrov", "Smith", "Garcia", "Nguyen", "Raman", "Kowalski", "Okafor", "Schmidt", "Rossi",
		"Tanaka", "Haddad", "Novak", "Jensen", "Murphy", "Silva", "Cohen", "Larsen", "Dubois", "Ivanova",
		"Ivanov", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez",
		"Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
		"Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
		"Young", "Allen", "King", "Wright", "Scott", "Torres", "Hill", "Flores", "Green", "Adams",
		"Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Kim", "Patel",
		"Shah", "Singh", "Khan", "Ali", "Wang", "Li", "Zhang", "Liu", "Chen", "Yang",
		"Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo",
		"Jenson", "Olsen", "Hansen", "Nielsen", "Kowalczyk", "Nowak", "Wojcik", "Kaminski", "Lewandowski", "Zielinski"}
)

// benchPerson is the i-th synthetic customer of the benchmark.
type benchPerson struct{ id, given, family, phone, email, vin string }

func newBenchPerson(i int) benchPerson {
	g, f := benchGiven[i%len(benchGiven)], benchFamily[(i/len(benchGiven))%len(benchFamily)]
	return benchPerson{
		id: fmt.Sprintf("C-%06d", i), given: g, family: f,
		phone: fmt.Sprintf("+1312%03d%04d", 200+i/10000, i%10000),
		email: fmt.Sprintf("%s.%s.%d@example.com", g, f, i),
		vin:   fmt.Sprintf("1ZT%014d", i),
	}
}

// profile derives the person's profile from a web visit, a call, a
// showroom visit and, for one in three, a purchase with a VIN.
func (p benchPerson) profile() customer.Profile {
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	hints := customer.Hints{Email: p.email, Phone: p.phone, GivenName: p.given, FamilyName: p.family}
	events := []customer.Event{
		{ID: "w-" + p.id, Channel: "web", Type: "configurator_saved", OccurredAt: at, Source: "web:zot.example", Customer: hints, Vehicle: &customer.Vehicle{Model: "ZOT 12"}, Attributes: map[string]string{"trim": "Sport"}},
		{ID: "c-" + p.id, Channel: "phone", Type: "call_inbound", OccurredAt: at.Add(time.Hour), Source: "phone:tollfree", Customer: hints, Note: "asked about financing"},
		{ID: "v-" + p.id, Channel: "showroom", Type: "showroom_visit", OccurredAt: at.Add(48 * time.Hour), Source: "dealer:D-017", Customer: hints, Staff: "m.jones"},
	}
	if p.vin[len(p.vin)-1]%3 == 0 {
		events = append(events, customer.Event{ID: "p-" + p.id, Channel: "showroom", Type: "purchase", OccurredAt: at.Add(96 * time.Hour),
			Source: "dealer:D-017", Customer: hints, Vehicle: &customer.Vehicle{Model: "ZOT 12", VIN: p.vin, Year: 2026}})
	}
	ids := []customer.Identifier{
		customer.NewIdentifier(customer.KindEmail, customer.NormalizeEmail(p.email)),
		customer.NewIdentifier(customer.KindPhone, p.phone),
	}
	prof := customer.DeriveProfile(p.id, events, func(*customer.Event) []customer.Identifier { return ids })
	prof.Version = 1
	return prof
}

// mustCache100k caches benchProfiles profiles in batches.
func mustCache100k(b *testing.B, s *Store) {
	b.Helper()
	start := time.Now()
	const batch = 500
	for i := 0; i < benchProfiles; i += batch {
		profiles := make([]customer.Profile, 0, batch)
		for j := i; j < min(i+batch, benchProfiles); j++ {
			profiles = append(profiles, newBenchPerson(j).profile())
		}
		if err := s.PutProfiles(profiles); err != nil {
			b.Fatalf("cache profiles %d..: %v", i, err)
		}
	}
	b.Logf("cached %d profiles in %s", benchProfiles, time.Since(start).Round(time.Millisecond))
}

// BenchmarkLookup100k measures staff lookups answered from the local cache
// with 100k cached profiles, and reports each kind's p50 and p99 (the
// target: p99 under 5 ms). Run with:
//
//	go test -run '^$' -bench Lookup100k -benchtime 2000x ./agent/localstore
func BenchmarkLookup100k(b *testing.B) {
	s := mustOpenBench(b)
	mustCache100k(b, s)
	lookups := []struct {
		name string
		find func(p benchPerson) ([]customer.Profile, error)
	}{
		{"phone", func(p benchPerson) ([]customer.Profile, error) {
			return s.Search(Query{Phone: fmt.Sprintf("(%s) %s-%s", p.phone[2:5], p.phone[5:8], p.phone[8:])})
		}},
		{"email", func(p benchPerson) ([]customer.Profile, error) { return s.Search(Query{Email: " " + p.email + " "}) }},
		{"name", func(p benchPerson) ([]customer.Profile, error) {
			return s.Search(Query{Name: p.given + " " + p.family})
		}},
		{"name-typo", func(p benchPerson) ([]customer.Profile, error) {
			return s.SearchNameFuzzy(p.given + " " + typo(p.family))
		}},
		{"vin", func(p benchPerson) ([]customer.Profile, error) { return s.SearchVehicle(p.vin) }},
	}
	for _, l := range lookups {
		b.Run(l.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			var took []time.Duration
			for b.Loop() {
				p := newBenchPerson(rng.IntN(benchProfiles))
				begin := time.Now()
				found, err := l.find(p)
				took = append(took, time.Since(begin))
				if err != nil {
					b.Fatal(err)
				}
				if l.name != "vin" && len(found) == 0 {
					b.Fatalf("%s lookup of %s found nothing", l.name, p.id)
				}
			}
			reportPercentiles(b, took)
		})
	}
}

// typo swaps two letters in the middle of a word.
func typo(w string) string {
	r := []rune(w)
	if len(r) > 3 {
		r[2], r[3] = r[3], r[2]
	}
	return string(r)
}

func reportPercentiles(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	at := func(q float64) float64 {
		return float64(took[int(q*float64(len(took)-1))].Nanoseconds()) / 1e6
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// mustOpenBench opens a store in a fresh temporary directory for a
// benchmark.
func mustOpenBench(b *testing.B) *Store {
	b.Helper()
	s, err := Open(b.TempDir(), Options{Region: "US", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatalf("open store: %v", err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}
