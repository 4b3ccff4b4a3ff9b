package httpapi

import (
	"bytes"
	"io"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"golang.org/x/time/rate"
)

// RateLimit is the per-key budget of the channel intake: events per
// second, with room for a burst. A zero PerSecond turns the limit off.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// Defaults of the channel intake's rate limit: a full batch at once, and
// enough for a steady import.
const (
	DefaultRatePerSecond = 1000
	DefaultRateBurst     = 2000
)

// maxLimiters bounds the limiters kept; beyond it the idle ones go.
const maxLimiters = 10000

// keyLimiters holds one token bucket per channel key. They live in this
// node's memory only: a key sending to every node of a cluster gets up
// to the limit at each node, and a restart refills every bucket. That is
// enough to stop one runaway source from flooding the Raft log.
type keyLimiters struct {
	limit RateLimit
	mu    sync.Mutex
	byKey map[string]*rate.Limiter
}

func newKeyLimiters(limit RateLimit) *keyLimiters {
	return &keyLimiters{limit: limit, byKey: map[string]*rate.Limiter{}}
}

// verdict is what the limiter decided for one request.
type verdict struct {
	ok         bool
	retryAfter time.Duration // when !ok and the request fits the burst
	overBurst  bool          // the request alone exceeds the burst
}

// take spends n events of key's budget at now, or spends nothing and
// says how long to wait.
func (l *keyLimiters) take(key string, n int, now time.Time) verdict {
	if l == nil || l.limit.PerSecond <= 0 {
		return verdict{ok: true}
	}
	lim := l.limiter(key, now)
	if n > l.limit.Burst {
		return verdict{overBurst: true}
	}
	res := lim.ReserveN(now, n)
	if delay := res.DelayFrom(now); delay > 0 {
		res.CancelAt(now)
		return verdict{retryAfter: delay}
	}
	return verdict{ok: true}
}

func (l *keyLimiters) limiter(key string, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.byKey[key]
	if !ok {
		if len(l.byKey) >= maxLimiters {
			l.dropIdle(now)
		}
		lim = rate.NewLimiter(rate.Limit(l.limit.PerSecond), l.limit.Burst)
		l.byKey[key] = lim
	}
	return lim
}

// dropIdle forgets the buckets that are full again: forgetting them
// changes nothing. Called with mu held.
func (l *keyLimiters) dropIdle(now time.Time) {
	for key, lim := range l.byKey {
		if lim.TokensAt(now) >= float64(l.limit.Burst) {
			delete(l.byKey, key)
		}
	}
}

// allowEvents charges n events to the caller's key. Operators and the
// cluster's own forwarding are not limited. It answers 429 with
// Retry-After, or 413 for a request larger than the burst, and reports
// whether the request may go on.
func (s *Server) allowEvents(w http.ResponseWriter, keyHash string, n int) bool {
	if keyHash == "" {
		return true
	}
	v := s.limiters.take(keyHash, max(n, 1), s.now())
	switch {
	case v.overBurst:
		writeJSON(w, http.StatusRequestEntityTooLarge, fieldError("events",
			"this request has "+strconv.Itoa(n)+" events, more than this key's burst of "+
				strconv.Itoa(s.limiters.limit.Burst)+": send smaller batches"))
		return false
	case !v.ok:
		secs := int(math.Ceil(v.retryAfter.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
		writeError(w, http.StatusTooManyRequests, "rate limit of this key exceeded ("+
			strconv.FormatFloat(s.limiters.limit.PerSecond, 'f', -1, 64)+" events/s): retry after "+
			strconv.Itoa(max(secs, 1))+" s (writes are idempotent)")
		return false
	}
	return true
}

// limitEvents charges each event a channel key posts to /v1/events to
// the key's budget before next ingests them. It reads the body once
// (bounded as next bounds it) and hands next the same bytes.
func (s *Server) limitEvents(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := callerOf(r).key
		if key == "" {
			next(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
		if err != nil {
			writeError(w, http.StatusBadRequest, "read body: "+err.Error())
			return
		}
		n := 1 // a body that is not events still costs a request
		if raws, err := customer.SplitEvents(body); err == nil {
			n = len(raws)
		}
		if !s.allowEvents(w, key, n) {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next(w, r)
	}
}
