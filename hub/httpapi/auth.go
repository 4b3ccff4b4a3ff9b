package httpapi

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/touchpoint/touchpoint/hub/state"
)

// Who is calling, once authenticated.
type caller struct {
	kind   string // state.KeyOperator, state.KeyChannel or "internal"
	source string // a channel key's source
	read   bool   // a channel key may read profiles
	key    string // a channel key's hash: its rate-limit bucket
}

type callerKey struct{}

func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}

// operatorCookie carries the operator token for the fleet page in a browser.
const operatorCookie = "tp_operator"

// bearer returns the token from the Authorization header or, for the
// fleet page, the operator cookie.
func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(h[len("Bearer "):])
	}
	if c, err := r.Cookie(operatorCookie); err == nil {
		return c.Value
	}
	return ""
}

// authenticate resolves the token to a caller. Internal calls between
// nodes carry the cluster's internal token.
func (s *Server) authenticate(r *http.Request) (caller, bool) {
	token := bearer(r)
	if token == "" {
		return caller{}, false
	}
	if cs, ok := s.store.Secrets(); ok && subtle.ConstantTimeCompare([]byte(token), []byte(cs.InternalToken)) == 1 {
		return caller{kind: "internal"}, true
	}
	if strings.HasPrefix(token, PublishableKeyPrefix) {
		return caller{}, false // only good on the snippet's endpoint
	}
	k, ok := s.store.APIKey(state.HashSecret(token))
	if !ok {
		return caller{}, false
	}
	c := caller{kind: k.Kind, source: k.Source, read: k.Read}
	if k.Kind == state.KeyChannel {
		c.key = k.Hash
	}
	return c, true
}

// publicPaths need no bearer token: probes, metrics, the API's
// description, and the website snippet with its endpoint (which checks a
// publishable key and the page's origin itself).
var publicPaths = map[string]bool{
	"/healthz": true, "/readyz": true, "/metrics": true, "/v1/openapi.json": true,
	snippetPath: true, webEventsPath: true,
}

// guard checks every request's token against what its route needs:
// internal routes take only the internal token; event posts take a
// channel key or better; profile reads take a reading channel key or
// better; everything else is for operators.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if publicPaths[r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		if r.URL.Path == "/" && r.URL.Query().Get("token") != "" {
			s.setOperatorCookie(w, r)
			return
		}
		if _, ok := s.store.Secrets(); !ok {
			writeError(w, http.StatusServiceUnavailable, "cluster not initialised yet (no leader has created its CA): retry shortly")
			return
		}
		c, ok := s.authenticate(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="touchpoint-hub"`)
			writeError(w, http.StatusUnauthorized, "missing or unknown token: send Authorization: Bearer TOKEN (operator token, channel key)")
			return
		}
		if !allowed(c, r) {
			writeError(w, http.StatusForbidden, "this key may not "+r.Method+" "+r.URL.Path)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	})
}

func allowed(c caller, r *http.Request) bool {
	internal := strings.HasPrefix(r.URL.Path, "/v1/internal/")
	switch c.kind {
	case "internal":
		return true
	case state.KeyOperator:
		return !internal
	case state.KeyChannel:
		if r.Method == http.MethodPost && (r.URL.Path == "/v1/events" || r.URL.Path == phoneCallsPath) {
			return true
		}
		return c.read && r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/customers")
	}
	return false
}

// setOperatorCookie lets a browser open the fleet page with
// /?token=OPERATOR_TOKEN once; the token then travels in a cookie.
func (s *Server) setOperatorCookie(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if k, ok := s.store.APIKey(state.HashSecret(token)); !ok || k.Kind != state.KeyOperator {
		writeError(w, http.StatusUnauthorized, "unknown operator token")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: operatorCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
