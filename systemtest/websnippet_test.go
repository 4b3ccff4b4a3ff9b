package systemtest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/touchpoint/touchpoint/customer"
)

// startWebsite serves the demo site in testdata/website on 127.0.0.1,
// with the hub's address and the site's publishable key filled into each
// page, and returns its origin. The listener is made before the hub starts
// because the hub must know the site's origin.
func startWebsite(t *testing.T) (origin string, setHub func(hub, key string)) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var hub, key string
	ready := make(chan struct{})
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-ready
		name := filepath.Base(r.URL.Path)
		b, err := os.ReadFile(filepath.Join("testdata", "website", name))
		if err != nil || strings.HasPrefix(name, ".") {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(name, ".css") {
			w.Header().Set("Content-Type", "text/css")
		} else {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		_, _ = w.Write([]byte(strings.NewReplacer("{{HUB}}", "http://"+hub, "{{KEY}}", key).Replace(string(b))))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String(), func(h, k string) { hub, key = h, k; close(ready) }
}

// A visitor in a real browser on the car maker's website, which includes
// the hub's snippet: views pages, saves a configuration, then orders a
// brochure with their name and email. The anonymous page views and the
// configuration reach the hub under the browser's web_id, and the form
// joins them to the person: the profile found by the form's email holds
// the whole visit. Screenshots go where screenshotDir says.
func TestWebSnippet_BrowserVisitJoinsProfile(t *testing.T) {
	chromium := chromiumPath(t)
	origin, setHub := startWebsite(t)
	c := StartCluster(t, 1, "--web-origins", "web:zot.example="+origin)
	node := c.Nodes[0]
	key := strings.TrimSpace(Run(t, "touchpoint-hub", "key", "create", "--source", "web:zot.example", "--publishable", "--addr", node.HTTP))
	if !strings.HasPrefix(key, "tpw_") {
		t.Fatalf("publishable key %q", key)
	}
	setHub(node.HTTP, key)

	b := &tab{t: t, ctx: startBrowser(t, chromium), shots: screenshotDir(t)}
	t.Logf("screenshots: %s", b.shots)
	loaded := `window.touchpoint && typeof window.touchpoint.track === "function"`

	b.do("open the home page", 20*time.Second, chromedp.Navigate(origin+"/index.html"), chromedp.WaitVisible(chromedp.ID("see-models")))
	b.waitFor("snippet loaded on the home page", loaded, 20*time.Second)
	webID := eval[string](b, `window.touchpoint.webId`)
	if !strings.HasPrefix(webID, "w-") {
		t.Fatalf("web_id %q", webID)
	}
	b.screenshot("home")
	b.do("go to the models", 20*time.Second, chromedp.Click(chromedp.ID("see-models")), chromedp.WaitVisible(chromedp.ID("configure-zot12")))
	b.waitFor("snippet loaded on the models page", loaded, 20*time.Second)
	b.do("go to the configurator", 20*time.Second, chromedp.Click(chromedp.ID("configure-zot12")), chromedp.WaitVisible(chromedp.ID("save")))
	b.waitFor("snippet loaded in the configurator", loaded, 20*time.Second)
	b.do("save the configuration", 20*time.Second, chromedp.Click(chromedp.ID("save")), chromedp.WaitVisible(chromedp.ID("to-brochure")))
	b.screenshot("configured")
	b.do("go to the brochure form", 20*time.Second, chromedp.Click(chromedp.ID("to-brochure")), chromedp.WaitVisible(chromedp.ID("send")))
	b.waitFor("snippet loaded on the brochure page", loaded, 20*time.Second)
	if got := eval[string](b, `window.touchpoint.webId`); got != webID {
		t.Fatalf("web_id changed from %q to %q between pages", webID, got)
	}
	b.do("fill in and send the brochure form", 20*time.Second,
		chromedp.SendKeys(chromedp.ID("given_name"), "Lena"),
		chromedp.SendKeys(chromedp.ID("family_name"), "Fischer"),
		chromedp.SendKeys(chromedp.ID("email"), "Lena.Fischer@example.com"),
		chromedp.SendKeys(chromedp.ID("phone"), "(312) 555-0187"),
		chromedp.SendKeys(chromedp.ID("line1"), "17 Lake Shore Dr"),
		chromedp.SendKeys(chromedp.ID("city"), "Chicago"),
		chromedp.SendKeys(chromedp.ID("postal_code"), "60611"),
		chromedp.Click(chromedp.ID("send")),
		chromedp.WaitVisible(chromedp.ID("thanks")))
	b.screenshot("brochure-sent")

	var profile customer.Profile
	Eventually(t, 30*time.Second, "the visit in the profile found by email", func() error {
		found, err := Search(node.URL(""), "email", "lena.fischer@example.com")
		if err != nil {
			return err
		}
		if len(found) != 1 {
			return fmt.Errorf("%d profiles for the email", len(found))
		}
		profile = found[0]
		return visitComplete(profile)
	})
	for _, e := range profile.Events {
		if e.Customer.WebID != webID || e.Source != "web:zot.example" || e.Channel != "web" {
			t.Errorf("event %s %s: web_id %q source %q channel %q", e.ID, e.Type, e.Customer.WebID, e.Source, e.Channel)
		}
		if e.Type != "brochure_requested" && (e.Customer.Email != "" || e.Customer.GivenName != "") {
			t.Errorf("anonymous %s event carries the person's hints: %+v", e.Type, e.Customer)
		}
	}
	if profile.GivenName != "Lena" || profile.FamilyName != "Fischer" || !slices.Contains(profile.Phones, "+13125550187") {
		t.Errorf("profile %s %s phones %v: the form's hints did not reach it", profile.GivenName, profile.FamilyName, profile.Phones)
	}
	t.Logf("profile %s: %d events from one browser visit (web_id %s)", profile.CustomerID, len(profile.Events), webID)
}

// visitComplete checks the profile holds the four page views, the saved
// configuration and the brochure request.
func visitComplete(p customer.Profile) error {
	count := map[string]int{}
	for _, e := range p.Events {
		count[e.Type]++
	}
	if count["page_view"] < 4 || count["configurator_saved"] != 1 || count["brochure_requested"] != 1 {
		return fmt.Errorf("profile events by type %v, want 4 page_view, 1 configurator_saved, 1 brochure_requested", count)
	}
	for _, e := range p.Events {
		if e.Type == "configurator_saved" && (e.Vehicle == nil || e.Vehicle.Model != "ZOT 12" || e.Attributes["trim"] != "Sport") {
			return fmt.Errorf("configurator_saved without the configuration: %+v", e)
		}
	}
	return nil
}
