package httpapi_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/hub/httpapi"
)

// testClock is a clock the tests step by hand, so rate limits never
// depend on how fast the machine is.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// mustIntakeNode is a ready single-node hub whose API has the intake
// configuration in and the clock; requests without a token carry the
// operator's.
func mustIntakeNode(t *testing.T, in httpapi.Intake) (http.Handler, *testClock) {
	t.Helper()
	clock := &testClock{now: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	_, h := mustNode(t, httpapi.WithIntake(in), httpapi.WithClock(clock.Now))
	return h, clock
}

// request is one HTTP request of a test, with its headers.
type request struct {
	method, target string
	body           []byte
	header         map[string]string
}

// do sends req to h and returns the recorded answer.
func do(t *testing.T, h http.Handler, req request) *httptest.ResponseRecorder {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	r := httptest.NewRequestWithContext(ctx, req.method, req.target, bytes.NewReader(req.body))
	for k, v := range req.header {
		r.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// bearer is the Authorization header of key.
func bearer(key string) map[string]string { return map[string]string{"Authorization": "Bearer " + key} }

// mustKey creates a channel key for source (publishable when asked).
func mustKey(t *testing.T, h http.Handler, source string, publishable bool) string {
	t.Helper()
	path := "/v1/keys"
	if publishable {
		path = "/v1/web/keys"
	}
	rec := serve(t, h, http.MethodPost, path, mustJSON(t, map[string]any{"source": source}))
	var out struct{ Key string }
	if rec.Code != http.StatusOK || jsonInto(rec.Body.Bytes(), &out) != nil || out.Key == "" {
		t.Fatalf("create key for %s: %d %s", source, rec.Code, rec.Body)
	}
	return out.Key
}
