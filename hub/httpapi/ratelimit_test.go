package httpapi

import (
	"testing"
	"time"
)

// A key spends its burst at once, then earns PerSecond events a second;
// a request it cannot pay costs nothing and says how long to wait; a
// request larger than the burst can never pass; other keys are untouched.
func TestKeyLimiters_Take(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	type step struct {
		key       string
		n         int
		at        time.Duration // after t0
		wantOK    bool
		wantWait  time.Duration
		overBurst bool
	}
	tests := []struct {
		name  string
		limit RateLimit
		steps []step
	}{
		{"no limit", RateLimit{}, []step{{key: "a", n: 1_000_000, wantOK: true}}},
		{"burst then wait", RateLimit{PerSecond: 2, Burst: 4}, []step{
			{key: "a", n: 4, wantOK: true},
			{key: "a", n: 1, wantWait: 500 * time.Millisecond},
			{key: "a", n: 3, wantWait: 1500 * time.Millisecond},
			{key: "a", n: 1, at: 500 * time.Millisecond, wantOK: true},
			{key: "a", n: 2, at: 500 * time.Millisecond, wantWait: time.Second},
		}},
		{"keys are apart", RateLimit{PerSecond: 1, Burst: 1}, []step{
			{key: "a", n: 1, wantOK: true},
			{key: "a", n: 1, wantWait: time.Second},
			{key: "b", n: 1, wantOK: true},
		}},
		{"over the burst", RateLimit{PerSecond: 100, Burst: 10}, []step{
			{key: "a", n: 11, overBurst: true},
			{key: "a", n: 10, wantOK: true},
		}},
		{"refills to the burst only", RateLimit{PerSecond: 10, Burst: 5}, []step{
			{key: "a", n: 5, wantOK: true},
			{key: "a", n: 5, at: time.Hour, wantOK: true},
			{key: "a", n: 1, at: time.Hour, wantWait: 100 * time.Millisecond},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newKeyLimiters(tt.limit)
			for i, s := range tt.steps {
				v := l.take(s.key, s.n, t0.Add(s.at))
				if v.ok != s.wantOK || v.overBurst != s.overBurst || v.retryAfter.Round(time.Millisecond) != s.wantWait {
					t.Fatalf("step %d (%s, %d events): got %+v, want ok=%v wait=%s overBurst=%v", i, s.key, s.n, v, s.wantOK, s.wantWait, s.overBurst)
				}
			}
		})
	}
}

// The limiters stay bounded: beyond maxLimiters, full (idle) buckets go.
func TestKeyLimiters_DropIdleKeepsMapBounded(t *testing.T) {
	l := newKeyLimiters(RateLimit{PerSecond: 1, Burst: 1})
	t0 := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	for i := range maxLimiters + 10 {
		l.take(string(rune(i)), 1, t0.Add(time.Duration(i)*time.Second))
	}
	if n := len(l.byKey); n > maxLimiters {
		t.Fatalf("%d limiters kept, at most %d", n, maxLimiters)
	}
}
