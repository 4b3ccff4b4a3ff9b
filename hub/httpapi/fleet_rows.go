package httpapi

import (
	"sort"
	"strings"

	"github.com/touchpoint/touchpoint/hub/metrics"
	"github.com/touchpoint/touchpoint/hub/store"
)

// agentRow is an agent as the page lists it: its dealer by name and its
// host before its id.
type agentRow struct {
	agentView
	DealerName string
	ShortID    string
}

// nodeRow is a node of the Raft configuration with its own trends.
type nodeRow struct {
	store.Peer
	Leader    bool
	Self      bool
	Connected int // agents connected to it now
	Answered  bool
	Ingest    chart
	FeedLag   chart
}

// dealerRow is a dealer with its agents' trends over the whole cluster.
type dealerRow struct {
	ID, Name string
	Agents   int
	Silent   int
	Revoked  int
	Ingest   chart
	FeedLag  chart
}

// dealerNames maps dealer ids to names, for those that have one.
func (s *Server) dealerNames() map[string]string {
	names := map[string]string{}
	for _, d := range s.store.Dealers() {
		if d.Name != "" {
			names[d.ID] = d.Name
		}
	}
	return names
}

func (s *Server) agentRows(agents []agentView) []agentRow {
	names := s.dealerNames()
	out := make([]agentRow, 0, len(agents))
	for _, a := range agents {
		short := a.ID
		if len(short) > 8 {
			short = short[:8]
		}
		out = append(out, agentRow{agentView: a, DealerName: names[a.Dealer], ShortID: short})
	}
	return out
}

// nodeRows lists the Raft configuration, leader first, each node with
// the trends it answered; it also returns the nodes that did not answer.
func nodeRows(st store.Status, agents []agentView, windows map[string]*metrics.Window) ([]nodeRow, []string) {
	connected := map[string]int{}
	for _, a := range agents {
		if a.Health != nil && a.Health.Connected && a.State != AgentSilent {
			connected[a.Health.Node]++
		}
	}
	var rows []nodeRow
	var unanswered []string
	for _, p := range st.Peers {
		row := nodeRow{Peer: p, Leader: p.ID == st.LeaderID, Self: p.ID == st.NodeID, Connected: connected[p.ID]}
		if w, ok := windows[p.ID]; ok {
			row.Answered = true
			row.Ingest = ingestChart(w.Node.Ingest, "events accepted by "+p.ID)
			row.FeedLag = lagChart(w.Node.FeedLag, "feed lag of agents on "+p.ID)
		} else {
			unanswered = append(unanswered, p.ID)
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Leader != rows[j].Leader {
			return rows[i].Leader
		}
		return rows[i].ID < rows[j].ID
	})
	return rows, unanswered
}

// dealerRows lists every registered dealer (and any dealer that has
// agents or trends without being registered): those with silent agents
// first, then by name.
func (s *Server) dealerRows(agents []agentView, trends map[string]*metrics.Trends) []dealerRow {
	byID := map[string]*dealerRow{}
	row := func(id string) *dealerRow {
		if r, ok := byID[id]; ok {
			return r
		}
		r := &dealerRow{ID: id, Name: id}
		byID[id] = r
		return r
	}
	for _, d := range s.store.Dealers() {
		if r := row(d.ID); d.Name != "" {
			r.Name = d.Name
		}
	}
	for _, a := range agents {
		r := row(a.Dealer)
		r.Agents++
		switch a.State {
		case AgentSilent:
			r.Silent++
		case AgentRevoked:
			r.Revoked++
		}
	}
	for id := range trends {
		row(id)
	}
	out := make([]dealerRow, 0, len(byID))
	for id, r := range byID {
		t, ok := trends[id]
		if !ok {
			empty := metrics.Trends{Ingest: gaps(fleetBuckets), FeedLag: gaps(fleetBuckets)}
			t = &empty
		}
		r.Ingest = ingestChart(t.Ingest, "events pushed by "+r.Name+"'s agents")
		r.FeedLag = lagChart(t.FeedLag, "feed lag of "+r.Name+"'s agents")
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Silent > 0) != (b.Silent > 0) {
			return a.Silent > 0
		}
		if an, bn := strings.ToLower(a.Name), strings.ToLower(b.Name); an != bn {
			return an < bn
		}
		return a.ID < b.ID
	})
	return out
}

// gaps returns n points without samples.
func gaps(n int) metrics.Points {
	return gapsLike(make(metrics.Points, n))
}
