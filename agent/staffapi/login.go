package staffapi

import (
	"crypto/rand"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/agent/clock"
	"github.com/touchpoint/touchpoint/agent/localstore"
	"golang.org/x/crypto/bcrypt"
)

// loginCSRFCookie is the login form's double-submit CSRF token: there is
// no session yet to keep it in.
const loginCSRFCookie = "tp_login"

// dummyHash is compared against when the username is unknown, so a wrong
// username takes about as long as a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("not a password"), bcrypt.DefaultCost+1)
	return h
})

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	setPageHeaders(w)
	if _, err := s.sessionPrincipal(r); err == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, "")
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	token := newSecret()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/login", MaxAge: 3600,
		HttpOnly: true, Secure: secureCookies(r), SameSite: http.SameSiteStrictMode})
	s.render(w, status, "login", &pageData{Title: "Sign in", Dealer: s.dealer, CSRF: token, Error: msg,
		Next: safeNext(r.FormValue("next")), Username: r.PostFormValue("username")})
}

// login checks the form's CSRF token and the password, then starts a
// session. Failed attempts per username are limited.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	setPageHeaders(w)
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || !sameSecret(r.PostFormValue("csrf"), c.Value) {
		s.renderLogin(w, r, http.StatusForbidden, "The sign-in form expired. Please try again.")
		return
	}
	username := strings.TrimSpace(r.PostFormValue("username"))
	if !s.logins.allow(username) {
		s.renderLogin(w, r, http.StatusTooManyRequests, "Too many failed attempts. Wait a minute, then try again.")
		return
	}
	a, err := s.store.Staff(username)
	hash := a.PasswordHash
	if err != nil {
		hash = dummyHash()
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(r.PostFormValue("password"))) != nil || err != nil {
		s.logins.failed(username)
		s.log.Info("staff sign-in failed")
		s.renderLogin(w, r, http.StatusUnauthorized, "Wrong username or password.")
		return
	}
	s.logins.succeeded(username)
	if err := s.startSession(w, r, a); err != nil {
		s.log.Error("start session", "err", err)
		s.renderLogin(w, r, http.StatusInternalServerError, "Could not sign you in: this PC's database failed. Ask IT to run `touchpoint-agent doctor`.")
		return
	}
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, a localstore.StaffAccount) error {
	token := newSecret()
	expires := clock.Now().Add(s.sessionTTL)
	sess := localstore.Session{Username: a.Username, CSRF: newSecret(), Expires: expires.Unix()}
	if err := s.store.PutSession(hashSecret(token), sess); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: secureCookies(r), SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Path: "/login", MaxAge: -1})
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.store.DeleteSession(who(r).tokenSum); err != nil {
		s.log.Warn("end session", "err", err)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: secureCookies(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// secureCookies says whether cookies get the Secure flag: over TLS, and
// on loopback, which browsers treat as a secure origin. A page served in
// clear over the shop's LAN cannot use them.
func secureCookies(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// safeNext keeps a post-login redirect on this site: a path, with no
// scheme or host, nothing a browser would read as "//host" (it drops tabs
// and newlines, and reads a backslash as a slash).
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\t\r\n") {
		return "/"
	}
	return next
}

// newSecret returns 32 random bytes, URL-safe.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Login limits: after maxFailures failed attempts on one username, wait
// lockout before the next.
const (
	maxFailures = 5
	lockout     = time.Minute
)

// loginLimiter slows password guessing, per username.
type loginLimiter struct {
	mu       sync.Mutex
	failures map[string]int
	lockedAt map[string]time.Time
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{failures: map[string]int{}, lockedAt: map[string]time.Time{}}
}

func (l *loginLimiter) allow(username string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	at, locked := l.lockedAt[username]
	if locked && time.Since(at) < lockout {
		return false
	}
	if locked {
		delete(l.lockedAt, username)
		l.failures[username] = maxFailures - 1 // one more try, then wait again
	}
	return true
}

func (l *loginLimiter) failed(username string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.failures) > 10_000 { // bound memory against made-up usernames
		clear(l.failures)
		clear(l.lockedAt)
	}
	l.failures[username]++
	if l.failures[username] >= maxFailures {
		l.lockedAt[username] = time.Now()
	}
}

func (l *loginLimiter) succeeded(username string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, username)
	delete(l.lockedAt, username)
}
