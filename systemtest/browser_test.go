package systemtest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/touchpoint/touchpoint/customer"
)

// annaAtTheHub is Anna Petrova's history before she walks in: a saved
// configuration on the web, a call, and the ZOT 9 she bought.
func annaAtTheHub() []customer.Event {
	at := time.Date(2026, 10, 20, 17, 0, 0, 0, time.UTC)
	h := customer.Hints{Phone: "(312) 555-0142", Email: "anna.petrova@example.com", GivenName: "Anna", FamilyName: "Petrova",
		Address: &customer.Address{Line1: "1420 W Elm St", City: "Chicago", PostalCode: "60622", Country: "US"}}
	return []customer.Event{
		{ID: "w-br-1", Channel: "web", Type: "configurator_saved", OccurredAt: at, Source: "web:zot.example", Customer: h,
			Vehicle: &customer.Vehicle{Model: "ZOT 12"}, Attributes: map[string]string{"trim": "Sport"}},
		{ID: "call-br-1", Channel: "phone", Type: "call_inbound", OccurredAt: at.Add(24 * time.Hour), Source: "phone:tollfree", Customer: h,
			Note: "asked about the Sport trim"},
		{ID: "dms-br-1", Channel: "showroom", Type: "purchase", OccurredAt: at.AddDate(-5, 0, 0), Source: "import:dms", Customer: h,
			Vehicle: &customer.Vehicle{Model: "ZOT 9", VIN: "1ZT9A2B34C5678901", Year: 2021}},
	}
}

// A salesperson in a real browser: signs in, finds Anna by her phone
// written differently from how it was stored, opens her profile, records
// a test drive while the hub is down (the banner says so and counts it),
// and sees it acknowledged once the hub is back. Screenshots of each page
// go to the test's artifact directory (see screenshotDir).
func TestBrowser_ShowroomWorksOfflineAndSyncsWhenHubReturns(t *testing.T) {
	chromium := chromiumPath(t)
	c := StartCluster(t, 1)
	c.AddDealer("D-017", "606")
	c.PostEvents(c.Nodes[0], annaAtTheHub()...)
	a := c.StartAgent("D-017")
	Eventually(t, 30*time.Second, "Anna in D-017's cache", func() error {
		found, err := a.Cached("phone", "+13125550142")
		if err != nil {
			return err
		}
		return HasEvent(found, "dms-br-1")
	})
	runWithInput(t, "correct horse battery\n", "touchpoint-agent", "staff", "add", "m.jones", "--name", "Maria Jones",
		"--password-stdin", "--addr", a.HTTP, "--data-dir", a.Dir)

	b := &tab{t: t, ctx: startBrowser(t, chromium), shots: screenshotDir(t)}
	t.Logf("screenshots: %s", b.shots)
	base := "http://" + a.HTTP

	// Sign in.
	b.do("open the staff page", 20*time.Second, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("username")))
	b.assertText("login page", "Sign in", "Dealer D-017")
	b.screenshot("login")
	b.do("sign in", 20*time.Second,
		chromedp.SendKeys(chromedp.ID("username"), "m.jones"),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
		chromedp.Click(chromedp.CSS(`form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("find-h")))
	b.assertText("home page", "Signed in as Maria Jones", "Connected to the hub", "Today's visitors")
	b.screenshot("home")

	// Search by the phone, written as nobody stored it.
	b.do("search by phone", 20*time.Second,
		chromedp.SetValue(chromedp.ID("by"), "phone"),
		chromedp.SendKeys(chromedp.ID("q"), "+1 312.555.0142"),
		chromedp.Click(chromedp.CSS(`form.search button`)),
		chromedp.WaitVisible(chromedp.ID("results-h")))
	b.assertText("search results", "1 found", "Anna Petrova", "+1 312-555-0142", "silver")
	b.screenshot("search-results")

	// Open the profile.
	b.do("open the profile", 20*time.Second,
		chromedp.Click(chromedp.CSS(`table.results a`)),
		chromedp.WaitVisible(chromedp.ID("name-h")))
	b.assertText("profile", "Anna Petrova", "Journey: purchase", "Value tier: silver", "First purchase",
		"ZOT 9 · 2021 · VIN 1ZT9A2B34C5678901", "Phone · tollfree", "asked about the Sport trim", "Web · zot.example")
	if problems := eval[string](b, a11yProblems); problems != "" {
		t.Errorf("profile at 1280 px: %s", problems)
	}
	b.screenshot("profile")

	// The hub goes away: the banner says so within the QUIC idle timeout.
	for _, n := range c.Nodes {
		n.Kill()
	}
	killed := time.Now()
	b.waitFor("the offline banner", `document.querySelector("#sync")?.dataset.online === "false"`, 45*time.Second)
	t.Logf("offline banner %s after the kill", time.Since(killed))
	b.assertText("offline banner", "Working offline", "0 recorded here will be sent")
	b.screenshot("offline")

	// Record a test drive offline: saved here, counted in the banner.
	b.do("record a test drive", 20*time.Second,
		chromedp.SetValue(chromedp.ID("r-type"), "test_drive"),
		chromedp.SendKeys(chromedp.ID("r-model"), "ZOT 12"),
		chromedp.SendKeys(chromedp.ID("r-note"), "Sport trim, loved the seats"),
		chromedp.Click(chromedp.CSS(`#record-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`p.flash`)))
	b.assertText("after recording offline", "Saved on this PC. The hub cannot be reached",
		"1 recorded here will be sent", "Sport trim, loved the seats", "waiting to send", "Journey: purchase")
	b.screenshot("recorded-offline")

	// The hub comes back: the outbox drains and the banner turns green.
	for _, n := range c.Nodes {
		n.MustStart(t)
	}
	b.waitFor("the banner back online with nothing waiting",
		`document.querySelector("#sync")?.dataset.online === "true" && document.querySelector("#sync")?.dataset.outbox === "0"`, 60*time.Second)
	b.do("reload the profile", 20*time.Second, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("name-h")))
	b.assertText("after the hub came back", "Connected to the hub", "Everything recorded here has reached the hub", "Sport trim, loved the seats")
	if strings.Contains(b.text(), "waiting to send") {
		t.Errorf("the test drive still shows as waiting to send after the outbox drained")
	}
	b.screenshot("synced")
	Eventually(t, 30*time.Second, "the hub has the test drive", func() error {
		found, err := Search(c.Nodes[0].URL(""), "phone", "+13125550142")
		if err != nil {
			return err
		}
		for _, p := range found {
			for _, e := range p.Events {
				if e.Type == "test_drive" && e.Staff == "m.jones" && strings.Contains(e.Note, "loved the seats") {
					return nil
				}
			}
		}
		return fmt.Errorf("no test drive by m.jones in %d profiles", len(found))
	})

	// Match review: two web forms of one person raise a candidate; staff
	// compare them side by side and confirm.
	c.PostEvents(c.Nodes[0], twoKathys(time.Now().Add(-48*time.Hour).UTC().Truncate(time.Second))...)
	Eventually(t, 30*time.Second, "the candidate reaches the review page", func() error {
		var list candidateList
		if err := Call("GET", a.URL("/v1/candidates"), nil, &list); err != nil || len(list.Candidates) == 0 {
			return fmt.Errorf("no candidate yet (%v)", err)
		}
		return nil
	})
	profileURL := eval[string](b, "location.href")
	b.do("open match review", 20*time.Second, chromedp.Click(chromedp.CSS(`a[href="/candidates"]`)), chromedp.WaitVisible(chromedp.CSS(`table.compare`)))
	b.assertText("match review", "Match review", "Katherine Smith", "Kathryn Smith", "Birth date", "Same person — merge")
	b.screenshot("match-review")
	b.do("confirm the match", 20*time.Second,
		chromedp.Click(chromedp.CSS(`form.decide button[value="confirm"]`)), chromedp.WaitVisible(chromedp.CSS(`p.flash`)))
	b.assertText("after confirming", "Saved at the hub", "No possible duplicates")
	b.screenshot("match-confirmed")

	// A tablet: the same profile at 768 px, one column, no sideways scroll.
	b.do("resize to a tablet", 20*time.Second, chromedp.EmulateViewport(768, 1024), chromedp.Navigate(profileURL), chromedp.WaitVisible(chromedp.ID("name-h")))
	if problems := eval[string](b, a11yProblems); problems != "" {
		t.Errorf("profile at 768 px: %s", problems)
	}
	b.screenshot("tablet-profile")
	b.do("go home on the tablet", 20*time.Second, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("uplog-h")))
	b.assertText("up-log", "Today's visitors", "Anna Petrova", "Test drive · ZOT 12", "m.jones", "sent")
	b.screenshot("tablet-home")
}
