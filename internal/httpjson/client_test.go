package httpjson

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var testHints = Hints{Server: "hub", AddrFlag: "--addr", TokenFix: "pass --token or set TOUCHPOINT_TOKEN"}

// mustServer serves h on 127.0.0.1 for the test.
func mustServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// answer writes status and body as the APIs do.
func answer(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// An error answer becomes an *Error whose message says what the server
// said; a refused or missing token says which flag gives one.
func TestDo_ErrorAnswers(t *testing.T) {
	const js = "application/json"
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		token       string
		want        string // the whole message
		wantField   string
		wantReason  string
	}{
		{"field and reason", 400, js, `{"error":"customer.email: is not an address","field":"customer.email","reason":"is not an address"}`, "t",
			"hub answered 400: customer.email: is not an address", "customer.email", "is not an address"},
		{"field and reason without a message", 400, js, `{"field":"dealer","reason":"is not registered"}`, "t",
			"hub answered 400: dealer: is not registered", "dealer", "is not registered"},
		{"message only", 409, js, `{"error":"dealer D-1 exists"}`, "t", "hub answered 409: dealer D-1 exists", "", ""},
		{"message with unknown keys", 503, js, `{"error":"not the leader","leader":"http://n2"}`, "t", "hub answered 503: not the leader", "", ""},
		{"plain text", 404, "text/plain", "404 page not found\n", "t", "hub answered 404: 404 page not found", "", ""},
		{"JSON without an error", 500, js, `{"status":"down"}`, "t", `hub answered 500: {"status":"down"}`, "", ""},
		{"empty body", 502, js, "", "t", "hub answered 502: Bad Gateway", "", ""},
		{"forbidden", 403, js, `{"error":"admins only"}`, "t", "hub answered 403: admins only", "", ""},
		{"refused token", 401, js, `{"error":"missing or unknown token: send Authorization: Bearer TOKEN"}`, "wrong",
			"the hub refused the token: pass --token or set TOUCHPOINT_TOKEN", "", ""},
		{"no token", 401, js, `{"error":"missing or unknown token: send Authorization: Bearer TOKEN"}`, "",
			"the hub wants a token: pass --token or set TOUCHPOINT_TOKEN", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mustServer(t, answer(tt.status, tt.contentType, tt.body))
			c := New(srv.URL, tt.token, testHints)
			for _, call := range []struct {
				name string
				do   func() error
			}{
				{"Do", func() error { return c.Do(context.Background(), "GET", "/v1/x", nil, nil) }},
				{"Stream", func() error {
					resp, err := c.Stream(context.Background(), "GET", "/v1/x", "application/octet-stream", nil)
					if err == nil {
						resp.Body.Close()
					}
					return err
				}},
			} {
				err := call.do()
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("%s: error %v (%T), want an *Error", call.name, err, err)
				}
				if e.Status != tt.status || e.Error() != tt.want || e.Field != tt.wantField || e.Reason != tt.wantReason {
					t.Errorf("%s: %d %q field %q reason %q, want %d %q field %q reason %q", call.name,
						e.Status, e.Error(), e.Field, e.Reason, tt.status, tt.want, tt.wantField, tt.wantReason)
				}
			}
		})
	}
}

// A request carries the token and the JSON body; the answer is decoded
// into out, kept raw in a *json.RawMessage, or dropped for a nil out.
func TestDo_SendsTokenAndDecodesAnswer(t *testing.T) {
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Name string }
		if r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Content-Type") != "application/json" ||
			json.NewDecoder(r.Body).Decode(&in) != nil || r.URL.Path != "/v1/dealers" {
			http.Error(w, `{"error":"bad request"}`, 400)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"D-1","name":"`+in.Name+`"}`)
	})
	c := New(srv.URL+"/", "tok", testHints)
	var out struct{ ID, Name string }
	if err := c.Do(context.Background(), "POST", "/v1/dealers", map[string]string{"name": "ZOT"}, &out); err != nil || out.ID != "D-1" || out.Name != "ZOT" {
		t.Fatalf("decoded %+v, %v", out, err)
	}
	var raw json.RawMessage
	if err := c.Do(context.Background(), "POST", "/v1/dealers", map[string]string{"name": "A"}, &raw); err != nil || string(raw) != `{"id":"D-1","name":"A"}` {
		t.Fatalf("raw %s, %v", raw, err)
	}
	if err := c.Do(context.Background(), "POST", "/v1/dealers", map[string]string{"name": "A"}, nil); err != nil {
		t.Fatalf("nil out: %v", err)
	}
}

// An answer longer than the limit is cut and fails to decode, instead of
// filling memory.
func TestDo_AnswerSizeIsBounded(t *testing.T) {
	big := `{"name":"` + strings.Repeat("x", 4096) + `"}`
	srv := mustServer(t, answer(200, "application/json", big))
	c := New(srv.URL, "", testHints)
	var out struct{ Name string }
	if err := c.Do(context.Background(), "GET", "/", nil, &out); err != nil || len(out.Name) != 4096 {
		t.Fatalf("under the default limit: %v", err)
	}
	c.MaxAnswer = 1024
	if err := c.Do(context.Background(), "GET", "/", nil, &out); err == nil || !strings.Contains(err.Error(), "decode the hub's answer") {
		t.Fatalf("over the limit: %v, want a decode error", err)
	}
}

// A server that is not there, or too slow, is named with the flag that
// points elsewhere.
func TestDo_UnreachableAndSlowServers(t *testing.T) {
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	c := New(srv.URL, "", testHints)
	c.Timeout = 50 * time.Millisecond
	err := c.Do(context.Background(), "GET", "/", nil, nil)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "set --addr") {
		t.Fatalf("slow server: %v", err)
	}
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	err = New(gone.URL, "", testHints).Do(context.Background(), "GET", "/", nil, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "cannot reach the hub at "+gone.URL+" (is it running? set --addr)") {
		t.Fatalf("closed server: %v", err)
	}
}

// Stream hands over the body of a 2xx answer unread.
func TestStream_ReturnsTheBody(t *testing.T) {
	srv := mustServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Write(append([]byte("got "), b...))
	})
	resp, err := New(srv.URL, "", testHints).Stream(context.Background(), "POST", "/v1/snapshot", "application/octet-stream", strings.NewReader("snap"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if b, _ := io.ReadAll(resp.Body); string(b) != "got snap" {
		t.Fatalf("body %q", b)
	}
}

// Addresses become base URLs: http:// when no scheme is given, no
// trailing slash.
func TestNormalizeBase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"127.0.0.1:7080", "http://127.0.0.1:7080"},
		{"127.0.0.1:7080/", "http://127.0.0.1:7080"},
		{"http://127.0.0.1:7080", "http://127.0.0.1:7080"},
		{"https://hub1.example:7080//", "https://hub1.example:7080"},
		{" localhost:8470 ", "http://localhost:8470"},
		{"http://[::1]:8470/api", "http://[::1]:8470/api"},
	}
	for _, tt := range tests {
		if got := NormalizeBase(tt.in); got != tt.want {
			t.Errorf("NormalizeBase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
