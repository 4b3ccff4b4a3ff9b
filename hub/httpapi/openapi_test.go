package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/hub/metrics"
)

// Every route the server registers is in the OpenAPI document, and the
// document describes no route the server lacks.
func TestOpenAPI_DescribesExactlyTheRegisteredRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q, want 3.x", doc.OpenAPI)
	}
	s := &Server{metrics: metrics.New(nil), log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var registered []string
	for _, rt := range s.routeTable() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.TrimSuffix(path, "{$}")
		registered = append(registered, strings.ToLower(method)+" "+path)
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("route %s is not in openapi.json", rt.pattern)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !slices.Contains(registered, method+" "+path) {
				t.Errorf("openapi.json describes %s %s, which the server does not register", strings.ToUpper(method), path)
			}
		}
	}
}
