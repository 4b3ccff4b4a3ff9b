package staffapi

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
)

// mustSignIn starts an agent with Anna cached and Maria signed in.
func mustSignIn(t *testing.T) (*testAgent, *browser, string) {
	t.Helper()
	a := mustStartAgent(t)
	a.mustCache(annaProfile())
	a.mustAddStaff("m.jones", "correct horse battery")
	b := a.newBrowser()
	return a, b, b.mustLogin("m.jones", "correct horse battery")
}

func assertContains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// A search finds a customer however the phone is written, by a name with
// a typo, and by a household car's VIN.
func TestPage_SearchFindsByPhoneNameAndVIN(t *testing.T) {
	_, b, _ := mustSignIn(t)
	tests := []struct{ by, q string }{
		{"phone", "+1 312.555.0142"},
		{"email", " Anna.Petrova@EXAMPLE.com"},
		{"name", "ana petorva"},
		{"vin", "1zt9a2b34c5678901"},
		{"customer_id", "C-anna"},
	}
	for _, tt := range tests {
		t.Run(tt.by, func(t *testing.T) {
			res := b.get("/search?" + url.Values{"by": {tt.by}, "q": {tt.q}}.Encode())
			if res.status != http.StatusOK {
				t.Fatalf("status %d", res.status)
			}
			assertContains(t, "results", res.body, "1 found", `href="/customers/C-anna"`, "Anna Petrova")
		})
	}
	if res := b.get("/search?by=phone&q=312-555-0000"); !strings.Contains(res.body, "No customer found") {
		t.Errorf("a search for an unknown phone does not say so")
	}
}

// The profile page shows the cross-channel timeline with sources and
// notes, the journey, moments of truth, household and value tier.
func TestPage_ProfileShowsTimelineJourneyAndHousehold(t *testing.T) {
	_, b, _ := mustSignIn(t)
	res := b.get("/customers/C-anna")
	if res.status != http.StatusOK {
		t.Fatalf("profile page: %d", res.status)
	}
	assertContains(t, "profile page", res.body,
		"Anna Petrova", "Journey: search", "Value tier: prospect", `aria-current="step">Search`,
		"First test drive", "not yet", "ZOT 9 · 2021 · VIN 1ZT9A2B34C5678901",
		"Phone · tollfree", "asked about the Sport trim", "Web · zot.example", "Configurator saved", "312-555-0142", "anna.petrova@example.com")
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options"} {
		if res.header.Get(h) == "" {
			t.Errorf("profile page lacks the %s header", h)
		}
	}
}

// Every input on every page has a label.
func TestPage_EveryInputHasALabel(t *testing.T) {
	_, b, _ := mustSignIn(t)
	for _, path := range []string{"/", "/search?by=phone&q=312-555-0142", "/customers/C-anna"} {
		body := b.get(path).body
		for _, id := range inputIDs(body) {
			if !strings.Contains(body, `for="`+id+`"`) {
				t.Errorf("%s: input #%s has no label", path, id)
			}
		}
	}
}

// inputIDs returns the ids of visible inputs, selects and textareas.
func inputIDs(body string) []string {
	var ids []string
	for _, tag := range strings.Split(body, "<")[1:] {
		if !(strings.HasPrefix(tag, "input ") || strings.HasPrefix(tag, "select ") || strings.HasPrefix(tag, "textarea ")) || strings.Contains(tag, `type="hidden"`) {
			continue
		}
		_, rest, ok := strings.Cut(tag, `id="`)
		id, _, _ := strings.Cut(rest, `"`)
		if !ok {
			id = "(none) " + tag
		}
		ids = append(ids, id)
	}
	return ids
}

// With the hub gone the banner says so, recording still works and the
// event waits in the outbox; the banner counts it.
func TestPage_OfflineBannerAndRecording(t *testing.T) {
	a, b, csrf := mustSignIn(t)
	assertContains(t, "online banner", b.get("/").body, "Connected to the hub", "Everything recorded here has reached the hub")
	a.hub.setOnline(false)
	assertContains(t, "offline banner", b.get("/partials/sync").body, "Working offline", "Last sync", "0 recorded here will be sent")

	form := url.Values{"csrf": {csrf}, "type": {"test_drive"}, "model": {"ZOT 12"}, "note": {"Sport trim, liked it"}}
	res := b.post("/customers/C-anna", form)
	if res.status != http.StatusSeeOther || res.location != "/customers/C-anna?saved=1" {
		t.Fatalf("record: %d to %q (%s)", res.status, res.location, res.body)
	}
	page := b.get(res.location).body
	assertContains(t, "profile after recording offline", page,
		"Saved on this PC. The hub cannot be reached", "1 recorded here will be sent", "Test drive", "Sport trim, liked it",
		"waiting to send", "m.jones", "This dealer (D-017)", "Journey: evaluation")
	if n, _ := a.store.OutboxLen(); n != 1 {
		t.Errorf("outbox = %d, want 1", n)
	}
}

// A lookup that finds nothing here asks the hub when it is reachable, and
// only then.
func TestPage_SearchMissAsksTheHubWhenOnline(t *testing.T) {
	a := mustStartAgent(t)
	a.mustAddStaff("m.jones", "correct horse battery")
	b := a.newBrowser()
	b.mustLogin("m.jones", "correct horse battery")
	a.hub.profiles = []customer.Profile{annaProfile()}
	a.hub.setOnline(false)
	assertContains(t, "offline miss", b.get("/search?by=phone&q=312-555-0142").body, "No customer found", "only customers already on this PC")
	a.hub.setOnline(true)
	assertContains(t, "online miss", b.get("/search?by=phone&q=312-555-0142").body, "1 found", "Anna Petrova")
}

// A walk-in without a profile is recorded, shows as a provisional profile
// with its own page, and appears in today's up-log.
func TestPage_WalkInAppearsInUpLogAndProvisionalProfile(t *testing.T) {
	_, b, csrf := mustSignIn(t)
	walkIn := url.Values{"csrf": {csrf}, "type": {"showroom_visit"}, "phone": {"(217) 555-0199"}, "given_name": {"Misha"}, "family_name": {"Petrov"}, "model": {"ZOT 5"}}
	res := b.post("/visits", walkIn)
	if res.status != http.StatusSeeOther {
		t.Fatalf("walk-in: %d %s", res.status, res.body)
	}
	results := b.get(res.location).body
	assertContains(t, "search after the walk-in", results, "Misha Petrov", "recorded here, not yet at the hub", "Saved on this PC")
	home := b.get("/").body
	assertContains(t, "up-log", home, "visitors", "Misha Petrov", "Showroom visit · ZOT 5", "m.jones", "waiting to send")
	link := between(home, `<td><a href="`, `">Misha`)
	profile := b.get(html.UnescapeString(link))
	if profile.status != http.StatusOK {
		t.Fatalf("provisional profile %q: %d", link, profile.status)
	}
	assertContains(t, "provisional profile", profile.body, "Misha Petrov", "Recorded here, not yet confirmed by the hub", "217-555-0199")
}

func between(s, start, end string) string {
	_, rest, _ := strings.Cut(s, start)
	out, _, _ := strings.Cut(rest, end)
	return out
}

// The audit log names who saw which profile, through the page or the API;
// only the admin reads it.
func TestAudit_RecordsWhoViewedWhichProfile(t *testing.T) {
	a, b, _ := mustSignIn(t)
	b.get("/customers/C-anna")
	a.apiCall("GET", "/v1/customers?phone=312-555-0142", testAdminToken, nil, nil)
	var out struct {
		Entries []struct {
			Staff, Action, Via string
			CustomerID         string `json:"customer_id"`
		}
	}
	if code := a.apiCall("GET", "/v1/audit?customer_id=C-anna", testAdminToken, nil, &out); code != http.StatusOK {
		t.Fatalf("audit: %d", code)
	}
	got := map[string]bool{}
	for _, e := range out.Entries {
		got[e.Staff+" "+e.Action+" "+e.CustomerID+" "+e.Via] = true
	}
	for _, want := range []string{"m.jones view C-anna page", "admin search C-anna api"} {
		if !got[want] {
			t.Errorf("audit log %v lacks %q", out.Entries, want)
		}
	}
}

// No log line carries the customer's phone, email or name, nor a secret.
func TestLogs_CarryNoCustomerDataOrSecrets(t *testing.T) {
	a, b, csrf := mustSignIn(t)
	a.hub.setOnline(false)
	b.get("/search?by=phone&q=312-555-0142")
	b.get("/search?by=name&q=Anna+Petrova")
	b.post("/customers/C-anna", url.Values{"csrf": {csrf}, "type": {"quote"}, "note": {"quoted the Sport trim"}})
	b.post("/visits", url.Values{"csrf": {csrf}, "type": {"bogus"}, "email": {"new.person@example.com"}})
	form := b.get("/login")
	b.post("/login", url.Values{"csrf": {form.csrf()}, "username": {"m.jones"}, "password": {"not the password"}})
	logs := a.logs.String()
	for _, secret := range []string{"555", "anna", "Anna", "Petrova", "example.com", "Sport", "password", "correct horse", testAdminToken, csrf} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs contain %q:\n%s", secret, logs)
		}
	}
}
