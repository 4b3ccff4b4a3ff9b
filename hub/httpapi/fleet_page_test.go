package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/fleet"
	"github.com/touchpoint/touchpoint/hub/httpapi"
	"github.com/touchpoint/touchpoint/hub/metrics"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/hub/store"
	"github.com/touchpoint/touchpoint/protocol"
)

// fakeAgents is a node's view of its agents' health, set by the test.
type fakeAgents map[string]fleet.Report

func (f fakeAgents) Health() map[string]fleet.Report { return f }

// fleetNode is a single-node hub with three dealers, four agents (one
// healthy, one silent, one revoked, one healthy at another dealer), an
// open match candidate and an hour of trend samples.
type fleetNode struct {
	st  *store.Store
	h   http.Handler // as the operator
	api http.Handler // without a token
}

func mustFleetNode(t *testing.T) fleetNode {
	t.Helper()
	m := metrics.New(func() map[string]float64 { return nil })
	now := time.Now().UTC()
	agents := fakeAgents{
		"a1-healthy-0000": {Dealer: "D1", Node: "solo", Connected: true, LastSeen: now, FeedLag: d1Lag(0), OutboxLen: 3, Software: "touchpoint-agent 1.4.0"},
		"a2-silent-00000": {Dealer: "D2", Node: "solo", LastSeen: now.Add(-2 * time.Hour), FeedLag: 900, Software: "touchpoint-agent 1.3.2"},
		"a3-revoked-0000": {Dealer: "D1", Node: "solo", LastSeen: now.Add(-3 * time.Hour)},
		"a4-healthy-0000": {Dealer: "D3", Node: "solo", Connected: true, LastSeen: now, Software: "touchpoint-agent 1.4.0"},
	}
	st, node := mustNode(t)
	// mustNode's API knows no agents: serve a second one, with the fake
	// health and m, over the same store, as the operator.
	api := httpapi.New(st, agents, slog.New(slog.NewTextHandler(testLogOutput(), nil)), httpapi.WithMetrics(m),
		httpapi.WithClock(func() time.Time { return now }))
	h := asCaller(operatorAuth(node), api)
	for _, d := range []struct{ id, name string }{{"D1", "Zot Motors Chicago"}, {"D2", "Autohaus Müller & Söhne"}, {"D3", ""}} {
		body := mustJSON(t, map[string]any{"id": d.id, "name": d.name})
		if rec := serve(t, h, http.MethodPost, "/v1/dealers", body); rec.Code != http.StatusOK {
			t.Fatalf("add dealer %s: %d %s", d.id, rec.Code, rec.Body)
		}
	}
	mustEnrol(t, st, h, "D1", "a1-healthy-0000", "zot-frontdesk")
	mustEnrol(t, st, h, "D2", "a2-silent-00000", "mueller-sales-pc")
	mustEnrol(t, st, h, "D1", "a3-revoked-0000", "zot-old-laptop")
	mustEnrol(t, st, h, "D3", "a4-healthy-0000", "")
	if rec := serve(t, h, http.MethodPost, "/v1/agents/a3-revoked-0000/revoke", nil); rec.Code != http.StatusOK {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	mustCandidate(t, st)

	// Six hours of samples, the newest now, with half an hour the node
	// was down; D2's agent went silent two hours ago.
	for i := 359; i >= 0; i-- {
		if i >= 200 && i < 230 {
			continue
		}
		for range d1Pushed(i) {
			m.CountAgentIngest("D1", protocol.StatusCreated)
		}
		if i >= 120 {
			for range i % 4 {
				m.CountAgentIngest("D2", protocol.StatusCreated)
			}
			m.SetAgentReport("a2-silent-00000", "D2", uint64((359-i)*900/239), 0, true)
		} else {
			m.SetAgentReport("a2-silent-00000", "D2", 0, 0, false)
		}
		if i%5 == 0 {
			m.CountAgentIngest("D3", protocol.StatusDuplicate)
		}
		m.Ingested.WithLabelValues(protocol.StatusCreated, "web").Add(math.Round(4 + 3*math.Sin(float64(i)/40)))
		m.Ingested.WithLabelValues(protocol.StatusRejected, "web").Add(1)
		m.SetAgentReport("a1-healthy-0000", "D1", d1Lag(i), 0, true)
		m.SetAgentReport("a4-healthy-0000", "D3", 0, 0, true)
		m.SampleTrends(now.Add(-time.Duration(i) * time.Minute))
	}
	return fleetNode{st: st, h: h, api: api}
}

// operatorAuth is the Authorization header h adds for the operator.
func operatorAuth(h http.Handler) string {
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	h.ServeHTTP(httptest.NewRecorder(), req)
	return req.Header.Get("Authorization")
}

// d1Pushed is how many events D1's agent pushed i minutes ago.
func d1Pushed(i int) int { return i % 7 }

// d1Lag is the feed lag D1's agent reported i minutes ago: a dozen, and
// a backlog two to three hours ago.
func d1Lag(i int) uint64 {
	if i >= 120 && i < 170 {
		return uint64(40 + 3*(170-i))
	}
	return uint64(12 + (i*7)%9)
}

// mustEnrol issues a token for dealer and enrols agent with it.
func mustEnrol(t *testing.T, st *store.Store, h http.Handler, dealer, agent, hostname string) {
	t.Helper()
	rec := serve(t, h, http.MethodPost, "/v1/tokens", mustJSON(t, map[string]string{"dealer": dealer, "ttl": "1h"}))
	var issued struct{ Token string }
	if err := json.Unmarshal(rec.Body.Bytes(), &issued); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("issue token: %d %s", rec.Code, rec.Body)
	}
	token, err := protocol.ParseEnrolmentToken(issued.Token)
	if err != nil {
		t.Fatal(err)
	}
	body := &state.EnrollBody{TokenHash: state.HashSecret(token.Secret), AgentID: agent, Hostname: hostname}
	if _, err := st.ApplyOne(t.Context(), state.CmdEnroll, body); err != nil {
		t.Fatalf("enrol %s: %v", agent, err)
	}
}

// mustCandidate ingests two records of one person that only fuzzy
// evidence joins: an open match candidate.
func mustCandidate(t *testing.T, st *store.Store) {
	t.Helper()
	at := time.Date(2026, 11, 2, 18, 22, 5, 0, time.UTC)
	a := customer.Event{ID: "cand-a", Channel: "web", Type: "page_view", Source: "web:zot.example", OccurredAt: at,
		Customer: customer.Hints{GivenName: "Anna", FamilyName: "Petrova", BirthDate: "1990-03-04",
			Address: &customer.Address{Line1: "1420 W Elm Street", City: "Chicago", PostalCode: "60622"}}}
	b := customer.Event{ID: "cand-b", Channel: "web", Type: "page_view", Source: "import:crm", OccurredAt: at,
		Customer: customer.Hints{GivenName: "Ana", FamilyName: "Petrova", BirthDate: "1990-03-04", Email: "ana@example.com",
			Address: &customer.Address{Line1: "1420 W. Elm St", City: "Chicago", PostalCode: "60622"}}}
	ctx, cancel := context.WithTimeout(t.Context(), waitTimeout)
	defer cancel()
	if _, err := st.Ingest(ctx, []customer.Event{a, b}); err != nil {
		t.Fatal(err)
	}
	if n := len(st.Candidates()); n != 1 {
		t.Fatalf("%d open candidates after a fuzzy pair, want 1", n)
	}
}

// rowsOf returns the text of each row of the table under heading id.
func rowsOf(t *testing.T, page, headingID string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(page, `id="`+headingID+`"`)
	if !ok {
		t.Fatalf("no section %s", headingID)
	}
	body, _, _ := strings.Cut(rest, "</tbody>")
	var rows []string
	tags := regexp.MustCompile(`<[^>]*>`)
	for _, r := range strings.Split(body, "<tr")[2:] { // the first splits off the head row
		rows = append(rows, strings.Join(strings.Fields(tags.ReplaceAllString("<tr"+r, " ")), " "))
	}
	return rows
}

// The fleet page names dealers and agent hosts, lists the silent agent
// first and the revoked one next, shows the review queue's size and
// draws each dealer's and node's trends.
func TestFleetPage_ShowsNamesStatesQueueAndTrends(t *testing.T) {
	t.Parallel()
	n := mustFleetNode(t)
	rec := serve(t, n.h, http.MethodGet, "/", nil)
	page := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}

	agents := rowsOf(t, page, "agents-h")
	if len(agents) != 4 {
		t.Fatalf("agent rows %q, want 4", agents)
	}
	for i, want := range []string{
		"silent Autohaus Müller &amp; Söhne D2 mueller-sales-pc a2-silen",
		"revoked Zot Motors Chicago D1 zot-old-laptop a3-revok",
		"ok Zot Motors Chicago D1 zot-frontdesk a1-healt",
		"ok D3 no hostname a4-healt",
	} {
		if !strings.HasPrefix(agents[i], want) {
			t.Errorf("agent row %d = %q, want it to start %q", i, agents[i], want)
		}
	}
	if !strings.Contains(page, "1 silent") || !strings.Contains(page, "1 revoked") {
		t.Error("the summary does not count 1 silent and 1 revoked agent")
	}
	review := regexp.MustCompile(`id="tile-review">\s*<h2>Match review queue</h2>\s*<div class="big">(\d+)</div>`).FindStringSubmatch(page)
	if review == nil || review[1] != "1" {
		t.Errorf("review queue tile %q, want 1 open candidate", review)
	}

	dealers := rowsOf(t, page, "dealers-h")
	if len(dealers) != 3 || !strings.HasPrefix(dealers[0], "Autohaus Müller &amp; Söhne D2 1 · 1 silent") ||
		!strings.HasPrefix(dealers[1], "D3 1") || !strings.HasPrefix(dealers[2], "Zot Motors Chicago D1 2 · 1 revoked") {
		t.Errorf("dealer rows %q: want the one with a silent agent first, then by name", dealers)
	}
	var lastHour int
	for i := range 60 {
		lastHour += d1Pushed(i)
	}
	if want := fmt.Sprintf("%d in the last hour", lastHour); !strings.Contains(dealers[2], want) {
		t.Errorf("D1's row %q does not say %q", dealers[2], want)
	}
	if !strings.Contains(dealers[2], fmt.Sprintf("last 5 min %d · largest %d", max(d1Lag(0), d1Lag(1), d1Lag(2), d1Lag(3), d1Lag(4)), d1Lag(120))) {
		t.Errorf("D1's row %q lacks its feed lag", dealers[2])
	}
	if want := "900, 2 h 0 min ago · largest 900"; !strings.Contains(dealers[0], want) {
		t.Errorf("D2's row %q does not say %q: its agent stopped reporting two hours ago", dealers[0], want)
	}
	if charts := strings.Count(page, `<svg xmlns="http://www.w3.org/2000/svg" class="spark"`); charts != 1+2*3+2*1 {
		t.Errorf("%d charts, want the cluster's, two per dealer and two per node", charts)
	}
	nodes := rowsOf(t, page, "nodes-h")
	if len(nodes) != 1 || !strings.Contains(nodes[0], "solo this page leader") {
		t.Errorf("node rows %q", nodes)
	}
}

// The page's numbers are those of /metrics: the node's charted ingest
// adds up to its ingest counters.
func TestFleetPage_AgreesWithMetrics(t *testing.T) {
	t.Parallel()
	n := mustFleetNode(t)
	text := serve(t, n.h, http.MethodGet, "/metrics", nil).Body.String()
	var total float64
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "touchpoint_events_ingested_total{") && !strings.Contains(line, `status="rejected"`) {
			var v float64
			fmt.Sscan(line[strings.LastIndexByte(line, ' ')+1:], &v)
			total += v
		}
	}
	page := serve(t, n.h, http.MethodGet, "/", nil).Body.String()
	if want := fmt.Sprintf("%s in 6 h", commas(int(total))); total == 0 || !strings.Contains(rowsOf(t, page, "nodes-h")[0], want) {
		t.Errorf("node row %q does not say %q (from /metrics)", rowsOf(t, page, "nodes-h")[0], want)
	}
}

// The internal trends endpoint takes only the cluster's internal token.
func TestInternalTrends_InternalTokenOnly(t *testing.T) {
	t.Parallel()
	n := mustFleetNode(t)
	if rec := serve(t, n.h, http.MethodGet, "/v1/internal/trends", nil); rec.Code != http.StatusForbidden {
		t.Errorf("operator token: status %d, want 403", rec.Code)
	}
	secrets, _ := n.st.Secrets()
	internal := asCaller("Bearer "+secrets.InternalToken, n.api)
	rec := serve(t, internal, http.MethodGet, fmt.Sprintf("/v1/internal/trends?end=%d", time.Now().Unix()), nil)
	var w metrics.Window
	if err := json.Unmarshal(rec.Body.Bytes(), &w); rec.Code != http.StatusOK || err != nil {
		t.Fatalf("internal token: %d %v %s", rec.Code, err, rec.Body)
	}
	if len(w.Node.Ingest) != 72 || w.StepSeconds != 300 || w.Dealers["D1"] == nil {
		t.Errorf("window of %d points every %ds, dealers %v", len(w.Node.Ingest), w.StepSeconds, w.Dealers)
	}
	if rec := serve(t, internal, http.MethodGet, "/v1/internal/trends?end=soon", nil); rec.Code != http.StatusBadRequest {
		t.Errorf("end=soon: status %d, want 400", rec.Code)
	}
}

// commas writes n with thousands separators, as the page does.
func commas(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
