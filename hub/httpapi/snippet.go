package httpapi

import (
	_ "embed"
	"net/http"
	"strings"

	"github.com/touchpoint/touchpoint/hub/cluster"
	"github.com/touchpoint/touchpoint/hub/state"
)

// snippetPath is where the hub serves the website snippet.
const snippetPath = "/v1/web/touchpoint.js"

// snippetJS is the website snippet; its header says how a site uses it.
//
//go:embed touchpoint.js
var snippetJS []byte

// getSnippet serves the website snippet to any page.
func (s *Server) getSnippet(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(snippetJS)
}

// postWebKey creates a publishable key for the website snippet:
// {"source": "web:zot.example", "name": "..."}. Operators only.
func (s *Server) postWebKey(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Source string `json:"source"`
		Name   string `json:"name"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	if !strings.HasPrefix(req.Source, "web:") || len(req.Source) == len("web:") || len(req.Source) > 160 {
		writeJSON(w, http.StatusBadRequest, fieldError("source", "must be web:<site>: publishable keys are for websites"))
		return
	}
	key := PublishableKeyPrefix + cluster.RandomSecret(24)
	k := state.APIKey{Hash: state.HashSecret(key), Kind: state.KeyChannel, Source: req.Source, Name: req.Name}
	if _, err := s.store.ApplyOne(r.Context(), state.CmdAddKey, &k); err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"key": key, "source": k.Source, "publishable": true,
		"origins": orEmpty(s.intake.WebOrigins[k.Source]),
	})
}
