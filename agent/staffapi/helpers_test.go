package staffapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/agent/hublink"
	"github.com/touchpoint/touchpoint/agent/localstore"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
	"golang.org/x/crypto/bcrypt"
)

const testAdminToken = "admin-secret-for-tests"

// fakeHub stands in for the hub link so a test can take the hub away.
type fakeHub struct {
	store *localstore.Store

	mu       sync.Mutex
	online   bool
	profiles []customer.Profile // what the hub answers a lookup with
	lookups  int

	candidates []protocol.CandidateView
	decisions  []string
}

func (h *fakeHub) Lookup(_ context.Context, _ localstore.Query) ([]customer.Profile, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lookups++
	if !h.online {
		return nil, hublink.ErrOffline
	}
	return h.profiles, h.store.PutProfiles(h.profiles)
}

// Candidates answers with the fake hub's candidates, online only.
func (h *fakeHub) Candidates(context.Context) ([]protocol.CandidateView, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.online {
		return nil, hublink.ErrOffline
	}
	return h.candidates, nil
}

// Decide records the decision and answers with its status.
func (h *fakeHub) Decide(_ context.Context, id string, confirm bool, staff string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.online {
		return "", hublink.ErrOffline
	}
	for i, c := range h.candidates {
		if c.ID == id {
			h.candidates = append(h.candidates[:i], h.candidates[i+1:]...)
			h.decisions = append(h.decisions, fmt.Sprintf("%s %v by %s", id, confirm, staff))
			return map[bool]string{true: "confirmed", false: "rejected"}[confirm], nil
		}
	}
	return "", &protocol.RemoteError{Code: protocol.CodeBadRequest, Message: "no open candidate " + id + " touches this dealer's customers"}
}

func (h *fakeHub) State() hublink.State {
	h.mu.Lock()
	defer h.mu.Unlock()
	return hublink.State{Connected: h.online, LastSync: time.Date(2026, 11, 2, 14, 0, 0, 0, time.Local)}
}

func (h *fakeHub) setOnline(online bool) {
	h.mu.Lock()
	h.online = online
	h.mu.Unlock()
}

// testAgent is the staff API over a real store in a temporary directory.
type testAgent struct {
	t     *testing.T
	url   string
	store *localstore.Store
	hub   *fakeHub
	logs  *lockedWriter // everything the server logged
}

func mustStartAgent(t *testing.T) *testAgent {
	t.Helper()
	logs := &lockedWriter{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	st, err := localstore.Open(t.TempDir(), localstore.Options{Region: "US", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	hub := &fakeHub{store: st, online: true}
	srv := httptest.NewServer(New(st, hub, "D-017", log, WithAdminToken(testAdminToken), WithPasswordCost(bcrypt.MinCost)))
	t.Cleanup(srv.Close)
	return &testAgent{t: t, url: srv.URL, store: st, hub: hub, logs: logs}
}

// lockedWriter collects log lines from the server's goroutines.
type lockedWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// annaProfile is Anna Petrova as the hub knows her: a web visit and a call.
func annaProfile() customer.Profile {
	at := time.Date(2026, 11, 1, 18, 0, 0, 0, time.UTC)
	h := customer.Hints{Phone: "(312) 555-0142", Email: "anna.petrova@example.com", GivenName: "Anna", FamilyName: "Petrova"}
	p := customer.BuildProfile("C-anna", []customer.Event{
		{ID: "w-1", Channel: "web", Type: "configurator_saved", OccurredAt: at, Source: "web:zot.example", Customer: h, Vehicle: &customer.Vehicle{Model: "ZOT 12"}},
		{ID: "call-1", Channel: "phone", Type: "call_inbound", OccurredAt: at.Add(time.Hour), Source: "phone:tollfree", Customer: h, Note: "asked about the Sport trim"},
	}, "US")
	p.Version = 1
	p.Household.Vehicles = []customer.Vehicle{{Model: "ZOT 9", VIN: "1ZT9A2B34C5678901", Year: 2021}}
	return p
}

// mustCache puts profiles in the agent's cache as a feed batch would.
func (a *testAgent) mustCache(profiles ...customer.Profile) {
	a.t.Helper()
	if err := a.store.PutProfiles(profiles); err != nil {
		a.t.Fatal(err)
	}
}

// apiCall sends a JSON API request with token (none if empty) and decodes
// the answer into out; it returns the status.
func (a *testAgent) apiCall(method, path, token string, body, out any) int {
	a.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, a.url+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

// mustAddStaff adds a staff account through the API and returns its token.
func (a *testAgent) mustAddStaff(username, password string) string {
	a.t.Helper()
	var out struct{ Token string }
	if code := a.apiCall("POST", "/v1/staff", testAdminToken, map[string]string{"username": username, "name": "Maria Jones", "password": password}, &out); code != http.StatusCreated {
		a.t.Fatalf("add staff %s: %d", username, code)
	}
	return out.Token
}

// browser is a cookie-keeping client that does not follow redirects, like
// a browser tab seen one response at a time. It keeps Secure cookies on
// the loopback test server, as browsers do.
type browser struct {
	t       *testing.T
	base    string
	client  *http.Client
	cookies map[string]*http.Cookie
}

func (a *testAgent) newBrowser() *browser {
	b := &browser{t: a.t, base: a.url, cookies: map[string]*http.Cookie{}}
	b.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return b
}

// page is one response as the browser saw it.
type page struct {
	status   int
	location string
	body     string
	header   http.Header
}

func (b *browser) do(method, path string, form url.Values, header map[string]string) page {
	b.t.Helper()
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, rd)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(body), header: resp.Header}
}

func (b *browser) get(path string) page { return b.do("GET", path, nil, nil) }

func (b *browser) post(path string, form url.Values) page { return b.do("POST", path, form, nil) }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the last form on a page.
func (p page) csrf() string {
	m := csrfField.FindAllStringSubmatch(p.body, -1)
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1][1]
}

// mustLogin signs in through the login form and returns the session's
// CSRF token, as the pages carry it.
func (b *browser) mustLogin(username, password string) string {
	b.t.Helper()
	form := b.get("/login")
	res := b.post("/login", url.Values{"csrf": {form.csrf()}, "username": {username}, "password": {password}, "next": {"/"}})
	if res.status != http.StatusSeeOther || res.location != "/" {
		b.t.Fatalf("login as %s: %d to %q, want 303 to /", username, res.status, res.location)
	}
	home := b.get("/")
	if home.status != http.StatusOK {
		b.t.Fatalf("home after login: %d", home.status)
	}
	return home.csrf()
}
