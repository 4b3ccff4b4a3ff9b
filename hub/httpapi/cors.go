package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// originAllowed reports whether a page of origin may send events of the
// web source: only origins configured for that source, compared exactly.
func (s *Server) originAllowed(source, origin string) bool {
	return origin != "" && slices.Contains(s.intake.WebOrigins[source], origin)
}

// anyOriginAllowed reports whether origin is configured for some source.
func (s *Server) anyOriginAllowed(origin string) bool {
	for source := range s.intake.WebOrigins {
		if s.originAllowed(source, origin) {
			return true
		}
	}
	return false
}

// allowOrigin lets a page of origin read the answer. No credentials: the
// snippet keeps its web_id on the site, not in a cookie of the hub.
func allowOrigin(w http.ResponseWriter, origin string) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
}

// preflightWebEvents answers a CORS preflight of the snippet's endpoint
// (a site posting application/json triggers one) for configured origins
// only; the key is checked on the POST itself.
func (s *Server) preflightWebEvents(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	w.Header().Add("Vary", "Origin")
	if !s.anyOriginAllowed(origin) {
		writeJSON(w, http.StatusForbidden, fieldError("Origin", fmt.Sprintf("%q is not a configured site origin (--web-origins)", origin)))
		return
	}
	allowOrigin(w, origin)
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "POST")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// originOrExample is origin for a message, or an example when it is empty.
func originOrExample(origin string) string {
	if origin == "" {
		return "https://www.example.com"
	}
	return origin
}

// ParseWebOrigins reads --web-origins entries web:SITE=ORIGIN, where
// ORIGIN is scheme://host[:port] as a browser sends it in Origin.
func ParseWebOrigins(entries []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, entry := range entries {
		source, origin, ok := strings.Cut(entry, "=")
		if !ok || !strings.HasPrefix(source, "web:") || len(source) == len("web:") {
			return nil, fmt.Errorf("--web-origins: %q must be web:SITE=ORIGIN, like web:zot.example=https://www.zot.example", entry)
		}
		if err := checkOrigin(origin); err != nil {
			return nil, fmt.Errorf("--web-origins: %q: %w", entry, err)
		}
		if !slices.Contains(out[source], origin) {
			out[source] = append(out[source], origin)
		}
	}
	return out, nil
}

// checkOrigin accepts an origin exactly as browsers send it.
func checkOrigin(origin string) error {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		u.Path != "" || u.RawQuery != "" || u.User != nil || u.Fragment != "" || strings.ToLower(origin) != origin {
		return fmt.Errorf("origin %q must be scheme://host[:port] in lower case, no path or slash", origin)
	}
	return nil
}
