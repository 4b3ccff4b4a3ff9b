package httpapi

import (
	_ "embed"
	"net/http"
)

// openAPIDoc describes every route of routeTable (openapi_test.go keeps
// the two in step).
//
//go:embed openapi.json
var openAPIDoc []byte

// getOpenAPI serves the OpenAPI 3 description of this API; no token needed.
func (s *Server) getOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPIDoc)
}
