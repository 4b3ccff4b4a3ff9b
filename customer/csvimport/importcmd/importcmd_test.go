package importcmd

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/customer/csvimport"
)

// Each answer of POST /v1/events becomes results or an error of the kind
// the driver acts on.
func TestHTTPPoster_InterpretsAnswers(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		results int
		is      error
		field   string
		want    string
	}{
		{"committed", 200, `{"results":[{"id":"a","status":"created"},{"id":"b","status":"duplicate"}]}`, 2, nil, "", ""},
		{"all rejected with results", 400, `{"error":"x","results":[{"status":"rejected"},{"status":"rejected"}]}`, 2, nil, "", ""},
		{"refused as a whole", 400, `{"error":"customer.email: is not an email address","field":"customer.email","reason":"is not an email address"}`, 0, csvimport.ErrBatchRejected, "customer.email", "is not an email address"},
		{"too large", 413, `{"error":"body is larger than 1 MiB"}`, 0, csvimport.ErrBatchRejected, "", "larger than 1 MiB"},
		{"not committed", 503, `{"error":"not committed, retry"}`, 0, csvimport.ErrRetryable, "", "not committed"},
		{"rate limited", 429, `slow down`, 0, csvimport.ErrRetryable, "", "slow down"},
		{"bad token", 401, `{"error":"missing or unknown token"}`, 0, nil, "", "pass --token"},
		{"not found", 404, `404 page not found`, 0, nil, "", "answered 404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got map[string][]json.RawMessage
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer tok" || json.NewDecoder(r.Body).Decode(&got) != nil {
					t.Errorf("request: auth %q", r.Header.Get("Authorization"))
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			p := &httpPoster{name: "hub", url: srv.URL, token: "tok", client: srv.Client()}
			results, err := p.Post(context.Background(), []json.RawMessage{[]byte(`{"id":"a"}`), []byte(`{"id":"b"}`)})
			if len(got["events"]) != 2 {
				t.Errorf("server got %d events", len(got["events"]))
			}
			if tt.want == "" {
				if err != nil || len(results) != tt.results {
					t.Fatalf("Post = %d results, %v", len(results), err)
				}
				return
			}
			if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Post error = %v, want %v containing %q", err, tt.is, tt.want)
			}
			var fe *customer.FieldError
			if tt.field != "" && (!errors.As(err, &fe) || fe.Field != tt.field) {
				t.Errorf("error %v does not carry field %s", err, tt.field)
			}
		})
	}
}

// A hub that cannot be reached is worth retrying.
func TestHTTPPoster_UnreachableIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	p := &httpPoster{name: "hub", url: url, client: http.DefaultClient}
	if _, err := p.Post(context.Background(), []json.RawMessage{[]byte(`{}`)}); !errors.Is(err, csvimport.ErrRetryable) {
		t.Fatalf("Post = %v, want ErrRetryable", err)
	}
}

// The source is import:NAME from --source or the file's base name.
func TestSourceName(t *testing.T) {
	tests := []struct{ flag, file, want string }{
		{"", "/data/DMS Export 2026-11.csv", "import:dms-export-2026-11"},
		{"", "kunden.CSV", "import:kunden"},
		{"crm", "x.csv", "import:crm"},
		{"import:crm", "x.csv", "import:crm"},
	}
	for _, tt := range tests {
		if got, err := sourceName(tt.flag, tt.file); err != nil || got != tt.want {
			t.Errorf("sourceName(%q, %q) = %q, %v; want %q", tt.flag, tt.file, got, err, tt.want)
		}
	}
	if _, err := sourceName(strings.Repeat("x", 65), "x.csv"); err == nil {
		t.Error("a 65-character source was accepted")
	}
	if _, err := sourceName("", "###.csv"); err == nil {
		t.Error("an empty derived source was accepted")
	}
}
