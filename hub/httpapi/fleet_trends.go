package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/hub/metrics"
	"github.com/touchpoint/touchpoint/hub/state"
)

// The fleet page's charts: 72 points of 5 one-minute samples, the six
// hours each node keeps.
const (
	fleetBuckets       = 72
	fleetBucketSamples = 5
)

// internalTrends answers this node's trends for the window ending at
// ?end= (unix seconds; default now), so every node of a page's gathering
// buckets the same minutes.
func (s *Server) internalTrends(w http.ResponseWriter, r *http.Request) {
	end := s.now()
	if q := r.URL.Query().Get("end"); q != "" {
		sec, err := strconv.ParseInt(q, 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "end: must be unix seconds")
			return
		}
		end = time.Unix(sec, 0)
	}
	writeJSON(w, http.StatusOK, s.metrics.TrendWindow(end, fleetBuckets, fleetBucketSamples))
}

// clusterTrends gathers every node's trends for the window ending at end,
// by node id; a node that did not answer has none.
func (s *Server) clusterTrends(ctx context.Context, end time.Time) map[string]*metrics.Window {
	own := s.metrics.TrendWindow(end, fleetBuckets, fleetBucketSamples)
	out := map[string]*metrics.Window{s.store.Node().ID: &own}
	var mu sync.Mutex
	path := "/v1/internal/trends?end=" + strconv.FormatInt(end.Unix(), 10)
	s.eachOtherNode(func(n state.Node) {
		var w metrics.Window
		if s.internalGet(ctx, n.HTTPAddr, path, &w) != nil || !sameBuckets(&w, &own) {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		out[n.ID] = &w
	})
	return out
}

// sameBuckets reports whether two windows chart the same minutes.
func sameBuckets(a, b *metrics.Window) bool {
	return a.Start.Equal(b.Start) && a.StepSeconds == b.StepSeconds &&
		len(a.Node.Ingest) == len(b.Node.Ingest) && len(a.Node.FeedLag) == len(b.Node.FeedLag)
}

// dealerTrends folds the nodes' per-dealer series into one per dealer:
// ingest adds up over nodes (a dealer's agents may push to several), feed
// lag keeps the largest.
func dealerTrends(windows map[string]*metrics.Window) map[string]*metrics.Trends {
	out := map[string]*metrics.Trends{}
	for _, w := range windows {
		for dealer, t := range w.Dealers {
			acc, ok := out[dealer]
			if !ok {
				acc = &metrics.Trends{Ingest: gapsLike(t.Ingest), FeedLag: gapsLike(t.FeedLag)}
				out[dealer] = acc
			}
			foldInto(acc.Ingest, t.Ingest, metrics.TrendIngest)
			foldInto(acc.FeedLag, t.FeedLag, metrics.TrendFeedLag)
		}
	}
	return out
}

// clusterIngest adds up the nodes' ingest: every event is accepted by
// exactly one node.
func clusterIngest(windows map[string]*metrics.Window) metrics.Points {
	var acc metrics.Points
	for _, w := range windows {
		if acc == nil {
			acc = gapsLike(w.Node.Ingest)
		}
		foldInto(acc, w.Node.Ingest, metrics.TrendIngest)
	}
	return acc
}

// foldInto combines src into acc point by point; lengths are equal
// (sameBuckets), extra points are ignored.
func foldInto(acc, src metrics.Points, trend string) {
	combine := metrics.Combiner(trend)
	for i := range min(len(acc), len(src)) {
		acc[i] = metrics.Combine(acc[i], src[i], combine)
	}
}

// gapsLike returns as many gaps as p has points.
func gapsLike(p metrics.Points) metrics.Points {
	out := make(metrics.Points, len(p))
	for i := range out {
		out[i] = nan
	}
	return out
}
