package systemtest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// loadScenario reads the Petrov family events from ../shared.
func loadScenario(t *testing.T) []customer.Event {
	t.Helper()
	f, err := os.Open("../../shared/scenarios/zot-family.jsonl")
	if err != nil {
		t.Skipf("scenario not available: %v", err)
	}
	defer f.Close()
	var events []customer.Event
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e customer.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	return events
}

func eventIDs(p customer.Profile) []string {
	var ids []string
	for _, e := range p.Events {
		ids = append(ids, e.ID)
	}
	sort.Strings(ids)
	return ids
}

// oneProfile returns the only profile a hub search finds.
func oneProfile(t *testing.T, c *Cluster, param, value string) customer.Profile {
	t.Helper()
	found, err := Search(c.Nodes[0].URL(""), param, value)
	if err != nil || len(found) != 1 {
		t.Fatalf("search %s=%s: %d profiles, err %v; want exactly one", param, value, len(found), err)
	}
	return found[0]
}

// The Petrov family scenario of ../shared/scenarios: web, phone and DMS
// events through the hub's HTTP API, showroom events through the two
// dealers' agents, and the six expectations of its README.
func TestScenario_PetrovFamily(t *testing.T) {
	c := StartCluster(t, 3)
	c.AddDealer("D-017", "606")
	c.AddDealer("D-104", "618")
	agents := map[string]*Agent{"D-017": c.StartAgent("D-017"), "D-104": c.StartAgent("D-104")}
	for _, e := range loadScenario(t) {
		if dealer, ok := customer.DealerOf(e.Source); ok {
			agents[dealer].Record(e)
			continue
		}
		c.PostEvents(c.Nodes[1], e)
	}
	for _, a := range agents {
		Eventually(t, 30*time.Second, a.Dealer+" outbox drained", func() error {
			if n := a.SyncStatus().OutboxLen; n != 0 {
				return fmt.Errorf("%d waiting", n)
			}
			return nil
		})
	}

	// 1. Anna is one profile across web, phone and showroom.
	anna := oneProfile(t, c, "email", " Anna.Petrova@Example.com ")
	wantAnna := []string{"call-88120", "call-88790", "d017-td-3302", "d017-v-3301", "w-5521-001", "w-5521-002", "w-5521-003"}
	if got := eventIDs(anna); !slices.Equal(got, wantAnna) {
		t.Errorf("Anna's events = %v, want %v", got, wantAnna)
	}
	if stage := slices.Index(customer.Stages, anna.JourneyStage); stage < slices.Index(customer.Stages, "evaluation") {
		t.Errorf("Anna's journey stage = %s, want at least evaluation", anna.JourneyStage)
	}
	// 2. Ivan is one profile with the three purchases.
	ivan := oneProfile(t, c, "phone", "312-555-0100")
	if got := eventIDs(ivan); !slices.Equal(got, []string{"dms-2015-0091", "dms-2018-0456", "dms-2021-0877"}) {
		t.Errorf("Ivan's events = %v", got)
	}
	// 3. Misha is his own profile, in Ivan and Anna's household by the ZOT 5's VIN.
	misha := oneProfile(t, c, "phone", "(217) 555-0199")
	if misha.CustomerID == ivan.CustomerID || !slices.Equal(eventIDs(misha), []string{"d104-s-7712"}) {
		t.Errorf("Misha = %s with %v; want his own profile", misha.CustomerID, eventIDs(misha))
	}
	for _, p := range []customer.Profile{anna, ivan, misha} {
		checkHousehold(t, p, []string{anna.CustomerID, ivan.CustomerID, misha.CustomerID})
	}
	// 4. The other Anna Petrova is not merged into the Chicago Anna.
	other := oneProfile(t, c, "email", "apetrova@othermail.example")
	if other.CustomerID == anna.CustomerID {
		t.Errorf("Evanston Anna merged into Chicago Anna")
	}
	// 6. The call centre sees the D-017 test drive and its note.
	checkTestDrive(t, oneProfile(t, c, "phone", "+13125550142"))

	// 5. At D-017 the CLI shows Anna's whole history, also with the hub gone.
	chicago := agents["D-017"]
	checkLookupAtAgent(t, chicago, wantAnna)
	for _, n := range c.Nodes {
		n.Kill()
	}
	checkLookupAtAgent(t, chicago, wantAnna)
}

func checkHousehold(t *testing.T, p customer.Profile, members []string) {
	t.Helper()
	sort.Strings(members)
	if !slices.Equal(p.Household.Members, members) || p.HouseholdID != members[0] {
		t.Errorf("%s %s: household %s %v, want %v", p.GivenName, p.CustomerID, p.HouseholdID, p.Household.Members, members)
	}
	var models []string
	for _, v := range p.Household.Vehicles {
		models = append(models, v.Model)
	}
	sort.Strings(models)
	if !slices.Equal(models, []string{"ZOT 5", "ZOT 7", "ZOT 9"}) {
		t.Errorf("%s: household vehicles %v, want ZOT 5, ZOT 7, ZOT 9", p.GivenName, models)
	}
}

func checkTestDrive(t *testing.T, p customer.Profile) {
	t.Helper()
	for _, e := range p.Events {
		if e.ID == "d017-td-3302" && strings.Contains(e.Note, "Sport trim") {
			return
		}
	}
	t.Errorf("the call centre does not see the D-017 test drive with its note")
}

// checkLookupAtAgent runs `touchpoint-agent lookup --phone 312-555-0142`
// against the agent, as staff would, in both output forms.
func checkLookupAtAgent(t *testing.T, a *Agent, want []string) {
	t.Helper()
	out := Run(t, "touchpoint-agent", "lookup", "--phone", "312-555-0142", "--json", "--addr", a.HTTP, "--data-dir", a.Dir)
	var res struct{ Customers []customer.Profile }
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Customers) != 1 {
		t.Fatalf("lookup at %s: %v, %d profiles", a.Dealer, err, len(res.Customers))
	}
	p := res.Customers[0]
	if got := eventIDs(p); !slices.Equal(got, want) {
		t.Errorf("lookup at %s: events %v, want %v", a.Dealer, got, want)
	}
	if !slices.IsSortedFunc(p.Events, func(x, y customer.Event) int { return x.OccurredAt.Compare(y.OccurredAt) }) {
		t.Errorf("lookup at %s: timeline not oldest first", a.Dealer)
	}
	checkHousehold(t, p, p.Household.Members)
	text := Run(t, "touchpoint-agent", "lookup", "--phone", "312-555-0142", "--addr", a.HTTP, "--data-dir", a.Dir)
	for _, want := range []string{"Anna Petrova", "household", "ZOT 9", "test_drive", "phone:tollfree", "web:zot.example"} {
		if !strings.Contains(text, want) {
			t.Errorf("lookup output at %s lacks %q:\n%s", a.Dealer, want, text)
		}
	}
}
