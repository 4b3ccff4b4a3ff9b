package staffapi

import (
	_ "embed"
	"net/http"
)

//go:embed page.html
var staffPageHTML []byte

// staffPage serves the staff web page; it uses the JSON API.
func (s *Server) staffPage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'")
	_, _ = w.Write(staffPageHTML)
}
