package staffapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Every API call but /healthz needs a token; a wrong one is refused like
// none at all.
func TestAPI_RequiresToken(t *testing.T) {
	a := mustStartAgent(t)
	tests := []struct {
		method, path, token string
		want                int
	}{
		{"GET", "/healthz", "", http.StatusOK},
		{"GET", "/v1/sync", "", http.StatusUnauthorized},
		{"GET", "/v1/customers?phone=312-555-0142", "", http.StatusUnauthorized},
		{"GET", "/v1/customers/C-anna", "", http.StatusUnauthorized},
		{"POST", "/v1/events", "", http.StatusUnauthorized},
		{"GET", "/v1/sync", "wrong", http.StatusUnauthorized},
		{"GET", "/v1/staff", "", http.StatusUnauthorized},
		{"GET", "/v1/sync", testAdminToken, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+" "+tt.token, func(t *testing.T) {
			var out apiError
			if got := a.apiCall(tt.method, tt.path, tt.token, nil, &out); got != tt.want {
				t.Errorf("status = %d (%s), want %d", got, out.Error, tt.want)
			}
			if tt.want == http.StatusUnauthorized && !strings.Contains(out.Error, "admin.token") {
				t.Errorf("error %q does not say how to sign in", out.Error)
			}
		})
	}
}

// Only the admin token manages staff and reads the audit log; a staff
// token searches and records, as its owner.
func TestAPI_StaffTokenIsNotAdmin(t *testing.T) {
	a := mustStartAgent(t)
	a.mustCache(annaProfile())
	token := a.mustAddStaff("m.jones", "correct horse battery")
	if code := a.apiCall("GET", "/v1/staff", token, nil, nil); code != http.StatusForbidden {
		t.Errorf("staff listing staff: %d, want 403", code)
	}
	if code := a.apiCall("GET", "/v1/audit", token, nil, nil); code != http.StatusForbidden {
		t.Errorf("staff reading the audit log: %d, want 403", code)
	}
	var found struct{ Customers []struct{ CustomerID string } }
	if code := a.apiCall("GET", "/v1/customers?phone=312.555.0142", token, nil, &found); code != http.StatusOK || len(found.Customers) != 1 {
		t.Fatalf("staff search: %d, %+v; want Anna", code, found)
	}
	event := map[string]any{"type": "test_drive", "customer": map[string]string{"customer_id": "C-anna"}, "staff": "someone.else"}
	if code := a.apiCall("POST", "/v1/events", token, event, nil); code != http.StatusOK {
		t.Fatalf("staff record: %d", code)
	}
	p, err := a.store.Profile("C-anna")
	if err != nil || p.Events[len(p.Events)-1].Staff != "m.jones" {
		t.Errorf("recorded event's staff = %q, want m.jones (the token's owner)", p.Events[len(p.Events)-1].Staff)
	}
}

// Staff accounts are added, listed and removed by the admin; a removed
// account's token and sessions stop working at once.
func TestAPI_StaffAccountsLifecycle(t *testing.T) {
	a := mustStartAgent(t)
	token := a.mustAddStaff("m.jones", "correct horse battery")
	b := a.newBrowser()
	b.mustLogin("m.jones", "correct horse battery")

	tests := []struct {
		body map[string]string
		want int
	}{
		{map[string]string{"username": "m.jones", "name": "Maria", "password": "another long one"}, http.StatusConflict},
		{map[string]string{"username": "Bad Name", "name": "X", "password": "long enough pw"}, http.StatusBadRequest},
		{map[string]string{"username": "admin", "name": "X", "password": "long enough pw"}, http.StatusBadRequest},
		{map[string]string{"username": "short", "name": "X", "password": "short"}, http.StatusBadRequest},
		{map[string]string{"username": "noname", "name": " ", "password": "long enough pw"}, http.StatusBadRequest},
	}
	for _, tt := range tests {
		var out apiError
		if code := a.apiCall("POST", "/v1/staff", testAdminToken, tt.body, &out); code != tt.want || (code == 400 && out.Field == "") {
			t.Errorf("add %v: %d %+v, want %d with the field", tt.body, code, out, tt.want)
		}
	}
	var list struct{ Staff []map[string]any }
	a.apiCall("GET", "/v1/staff", testAdminToken, nil, &list)
	if len(list.Staff) != 1 || list.Staff[0]["username"] != "m.jones" || list.Staff[0]["PasswordHash"] != nil {
		t.Errorf("staff list = %v, want m.jones without secrets", list.Staff)
	}
	if code := a.apiCall("DELETE", "/v1/staff/m.jones", testAdminToken, nil, nil); code != http.StatusOK {
		t.Fatalf("remove: %d", code)
	}
	if code := a.apiCall("GET", "/v1/sync", token, nil, nil); code != http.StatusUnauthorized {
		t.Errorf("removed staff's token: %d, want 401", code)
	}
	if res := b.get("/"); res.status != http.StatusSeeOther {
		t.Errorf("removed staff's session: %d, want a redirect to sign in", res.status)
	}
	if code := a.apiCall("DELETE", "/v1/staff/m.jones", testAdminToken, nil, nil); code != http.StatusNotFound {
		t.Errorf("remove twice: %d, want 404", code)
	}
}

// The page needs a session; the session cookie is HttpOnly, SameSite
// Strict and Secure on loopback; logging out ends it.
func TestPage_LoginStartsAndLogoutEndsSession(t *testing.T) {
	a := mustStartAgent(t)
	a.mustAddStaff("m.jones", "correct horse battery")
	b := a.newBrowser()
	if res := b.get("/customers/C-anna"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/login?next=%2Fcustomers%2FC-anna") {
		t.Fatalf("page without session: %d to %q, want a redirect to /login", res.status, res.location)
	}
	form := b.get("/login")
	bad := b.post("/login", url.Values{"csrf": {form.csrf()}, "username": {"m.jones"}, "password": {"wrong password"}})
	if bad.status != http.StatusUnauthorized || !strings.Contains(bad.body, "Wrong username or password") {
		t.Errorf("wrong password: %d, want 401 with a message", bad.status)
	}
	csrf := b.mustLogin("m.jones", "correct horse battery")
	c := b.cookies[sessionCookie]
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || !c.Secure {
		t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Strict, Secure", c)
	}
	if res := b.post("/logout", url.Values{"csrf": {csrf}}); res.status != http.StatusSeeOther || res.location != "/login" {
		t.Errorf("logout: %d to %q", res.status, res.location)
	}
	b.cookies[sessionCookie] = c // a stolen copy of the old cookie
	if res := b.get("/"); res.status != http.StatusSeeOther {
		t.Errorf("page after logout: %d, want a redirect to sign in", res.status)
	}
}

// Forms without the right CSRF token are refused: the login form, the
// page's forms and the page's own API calls.
func TestPage_CSRFTokenRequiredOnEveryPost(t *testing.T) {
	a := mustStartAgent(t)
	a.mustAddStaff("m.jones", "correct horse battery")
	b := a.newBrowser()
	b.get("/login")
	if res := b.post("/login", url.Values{"username": {"m.jones"}, "password": {"correct horse battery"}}); res.status != http.StatusForbidden {
		t.Errorf("login without its CSRF token: %d, want 403", res.status)
	}
	csrf := b.mustLogin("m.jones", "correct horse battery")
	walkIn := url.Values{"type": {"showroom_visit"}, "phone": {"312-555-0199"}}
	if res := b.post("/visits", walkIn); res.status != http.StatusForbidden {
		t.Errorf("walk-in without CSRF: %d, want 403", res.status)
	}
	walkIn.Set("csrf", "forged")
	if res := b.post("/visits", walkIn); res.status != http.StatusForbidden {
		t.Errorf("walk-in with a forged CSRF token: %d, want 403", res.status)
	}
	body := url.Values{}
	if res := b.do("POST", "/v1/events", body, nil); res.status != http.StatusForbidden {
		t.Errorf("API post with the session but no %s: %d, want 403", csrfHeader, res.status)
	}
	walkIn.Set("csrf", csrf)
	if res := b.post("/visits", walkIn); res.status != http.StatusSeeOther {
		t.Errorf("walk-in with the session's CSRF token: %d %s, want 303", res.status, res.body)
	}
	if n, _ := a.store.OutboxLen(); n != 1 {
		t.Errorf("outbox = %d, want only the accepted walk-in", n)
	}
}

// After maxFailures wrong passwords a username is locked for a while,
// even for the right password.
func TestPage_LoginLimitsPasswordGuessing(t *testing.T) {
	a := mustStartAgent(t)
	a.mustAddStaff("m.jones", "correct horse battery")
	b := a.newBrowser()
	for range maxFailures {
		form := b.get("/login")
		b.post("/login", url.Values{"csrf": {form.csrf()}, "username": {"m.jones"}, "password": {"guess"}})
	}
	form := b.get("/login")
	res := b.post("/login", url.Values{"csrf": {form.csrf()}, "username": {"m.jones"}, "password": {"correct horse battery"}})
	if res.status != http.StatusTooManyRequests {
		t.Errorf("login after %d failures: %d, want 429", maxFailures, res.status)
	}
}

// A redirect after login stays on this site.
func TestSafeNext_KeepsRedirectsLocal(t *testing.T) {
	tests := []struct{ next, want string }{
		{"/customers/C-anna", "/customers/C-anna"},
		{"/search?by=phone&q=1", "/search?by=phone&q=1"},
		{"", "/"},
		{"https://evil.example/", "/"},
		{"//evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"javascript:alert(1)", "/"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}
