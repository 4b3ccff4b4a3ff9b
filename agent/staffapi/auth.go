package staffapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/touchpoint/touchpoint/agent/localstore"
)

// sessionCookie holds a page login's session token.
const sessionCookie = "tp_session"

// csrfHeader carries the session's CSRF token on the page's API calls.
const csrfHeader = "X-CSRF-Token"

// adminName is who the local admin token acts as in the audit log.
const adminName = "admin"

// principal is who a request acts for.
type principal struct {
	username string // a staff account, or adminName
	name     string // display name
	admin    bool   // the local admin token
	via      string // "api" (bearer token) or "page" (session)
	session  *localstore.Session
	tokenSum []byte // the session token's hash, for logout
}

type principalKey struct{}

func withPrincipal(r *http.Request, p *principal) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
}

// who returns the principal an auth wrapper put on the request.
func who(r *http.Request) *principal {
	p, _ := r.Context().Value(principalKey{}).(*principal)
	return p
}

// api wraps a JSON API handler: a bearer token (admin or staff), or the
// page's session with its CSRF token on anything but a read.
func (s *Server) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err == nil && p.via == "page" && !safeMethod(r.Method) && !sameSecret(r.Header.Get(csrfHeader), p.session.CSRF) {
			err = ErrForbidden
		}
		switch {
		case errors.Is(err, ErrForbidden):
			writeError(w, http.StatusForbidden, "missing or wrong "+csrfHeader+" header: reload the page")
		case err != nil:
			w.Header().Set("WWW-Authenticate", `Bearer realm="touchpoint-agent"`)
			writeError(w, http.StatusUnauthorized, err.Error())
		default:
			h(w, withPrincipal(r, p))
		}
	}
}

// admin wraps an API handler only the local admin token may call.
func (s *Server) admin(h http.HandlerFunc) http.HandlerFunc {
	return s.api(func(w http.ResponseWriter, r *http.Request) {
		if !who(r).admin {
			writeError(w, http.StatusForbidden, "only the local admin token may manage staff and read the audit log")
			return
		}
		h(w, r)
	})
}

// page wraps a staff page handler: a session, or a redirect to the login
// form; every POST must carry the session's CSRF token.
func (s *Server) page(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		p, err := s.sessionPrincipal(r)
		if err != nil {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if !safeMethod(r.Method) && !sameSecret(r.PostFormValue("csrf"), p.session.CSRF) {
			s.renderError(w, r, http.StatusForbidden, "This form has expired. Go back, reload the page and try again.")
			return
		}
		h(w, withPrincipal(r, p))
	}
}

// authenticate finds the principal of an API request.
func (s *Server) authenticate(r *http.Request) (*principal, error) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return s.sessionPrincipal(r)
	}
	token, ok := strings.CutPrefix(auth, "Bearer ")
	token = strings.TrimSpace(token)
	if !ok || token == "" {
		return nil, ErrUnauthorized
	}
	if s.adminToken != "" && sameSecret(token, s.adminToken) {
		return &principal{username: adminName, name: "Local admin", admin: true, via: "api"}, nil
	}
	a, err := s.store.StaffByToken(hashSecret(token))
	if err != nil {
		return nil, ErrUnauthorized
	}
	return &principal{username: a.Username, name: a.Name, via: "api"}, nil
}

// sessionPrincipal finds the staff member of a page session; the account
// must still exist.
func (s *Server) sessionPrincipal(r *http.Request) (*principal, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, ErrUnauthorized
	}
	sum := hashSecret(c.Value)
	sess, err := s.store.Session(sum)
	if err != nil {
		return nil, ErrUnauthorized
	}
	a, err := s.store.Staff(sess.Username)
	if err != nil {
		return nil, ErrUnauthorized
	}
	return &principal{username: a.Username, name: a.Name, via: "page", session: &sess, tokenSum: sum}, nil
}

func safeMethod(m string) bool { return m == http.MethodGet || m == http.MethodHead }

// sameSecret compares secrets in constant time.
func sameSecret(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// hashSecret is how tokens are stored: SHA-256 (they are random, so no
// salt or stretching is needed).
func hashSecret(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// setPageHeaders keeps the page's customer data out of caches, frames and
// foreign scripts.
func setPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}
