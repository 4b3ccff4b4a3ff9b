package httpapi

import (
	_ "embed"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/hub/metrics"
	"github.com/touchpoint/touchpoint/hub/store"
)

//go:embed fleet.html
var fleetHTML string

var fleetTemplate = template.Must(template.New("fleet").Funcs(template.FuncMap{
	"ago":   func(t time.Time) string { return ago(time.Since(t), t.IsZero()) },
	"count": func(v uint64) string { return count(float64(v)) },
}).Parse(fleetHTML))

// fleetData is everything the fleet page shows.
type fleetData struct {
	Status      store.Status
	Hours       int
	SilentAfter time.Duration
	Candidates  int
	Agents      []agentRow
	Silent      int
	Revoked     int
	Dealers     []dealerRow
	Nodes       []nodeRow
	Ingest      chart  // the cluster's, for the summary
	LagNow      string // largest feed lag an agent reports now
	Unanswered  []string
	Dropped     int
}

// fleetPage is the HQ view: a summary, the nodes and the dealers with
// their trends, and the agents, silent and revoked first. See the
// package doc for where each number comes from.
func (s *Server) fleetPage(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	var agents []agentView
	var windows map[string]*metrics.Window
	var wg sync.WaitGroup
	wg.Go(func() { agents = s.fleet(r.Context()) })
	wg.Go(func() { windows = s.clusterTrends(r.Context(), now) })
	wg.Wait()

	data := fleetData{
		Status: s.store.Status(), Hours: int(fleetBuckets * fleetBucketSamples * metrics.DefaultStep / time.Hour),
		SilentAfter: s.silentAfter, Candidates: len(s.store.Candidates()), Agents: s.agentRows(agents),
	}
	data.countAgents(agents)
	data.Nodes, data.Unanswered = nodeRows(data.Status, agents, windows)
	data.Dealers = s.dealerRows(agents, dealerTrends(windows))
	data.Ingest = ingestChart(clusterIngest(windows), "events accepted by the cluster")
	for _, w := range windows {
		data.Dropped += w.DroppedSeries
	}

	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	if err := fleetTemplate.Execute(w, data); err != nil {
		s.log.Warn("render fleet page", "err", err)
	}
}

// countAgents counts silent and revoked agents and finds the largest
// feed lag a connected agent reports.
func (d *fleetData) countAgents(agents []agentView) {
	var lag uint64
	for _, a := range agents {
		switch a.State {
		case AgentSilent:
			d.Silent++
		case AgentRevoked:
			d.Revoked++
		case AgentOK:
			if a.Health != nil && a.Health.Connected {
				lag = max(lag, a.Health.FeedLag)
			}
		}
	}
	d.LagNow = count(float64(lag))
}

// chart is a sparkline and the numbers beside it.
type chart struct {
	SVG  template.HTML
	Text string
}

// ingestChart charts events per bucket, with the last hour's total.
func ingestChart(p metrics.Points, label string) chart {
	if _, ok := p.Last(); !ok {
		return chart{SVG: sparkline(p, label+": no samples"), Text: "no samples yet"}
	}
	perHour := 60 * 60 / (fleetBucketSamples * int(metrics.DefaultStep/time.Second))
	hour := p[max(len(p)-perHour, 0):].Fold(metrics.Combiner(metrics.TrendIngest))
	total := p.Fold(metrics.Combiner(metrics.TrendIngest))
	return chart{
		SVG:  sparkline(p, label+", per 5 minutes; largest "+count(p.Fold(math.Max))),
		Text: count(hour) + " in the last hour · " + count(total) + " in 6 h",
	}
}

// lagChart charts the largest feed lag per bucket, with the newest: that
// of the last five minutes, or when an agent last reported.
func lagChart(p metrics.Points, label string) chart {
	newest := len(p) - 1
	for newest >= 0 && math.IsNaN(p[newest]) {
		newest--
	}
	if newest < 0 {
		return chart{SVG: sparkline(p, label+": no samples"), Text: "no agent reported"}
	}
	top := count(p.Fold(math.Max))
	c := chart{SVG: sparkline(p, label+", largest per 5 minutes; largest "+top)}
	if newest == len(p)-1 {
		c.Text = "last 5 min " + count(p[newest]) + " · largest " + top
	} else {
		since := time.Duration(len(p)-1-newest) * fleetBucketSamples * metrics.DefaultStep
		c.Text = count(p[newest]) + ", " + ago(since, false) + " · largest " + top
	}
	return c
}

// ago says how long ago something was heard of: seconds under a minute,
// then minutes, hours and minutes, days.
func ago(d time.Duration, never bool) string {
	switch {
	case never:
		return "never"
	case d < time.Minute:
		return strconv.Itoa(int(max(d, 0)/time.Second)) + " s ago"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h " + strconv.Itoa(int(d%time.Hour/time.Minute)) + " min ago"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + " days ago"
}

// count writes a whole number with thousands separators; NaN as 0.
func count(v float64) string {
	if math.IsNaN(v) {
		v = 0
	}
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
