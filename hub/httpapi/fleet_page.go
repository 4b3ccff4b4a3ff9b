package httpapi

import (
	_ "embed"
	"html/template"
	"net/http"
	"time"

	"github.com/touchpoint/touchpoint/hub/store"
)

//go:embed fleet.html
var fleetHTML string

var fleetTemplate = template.Must(template.New("fleet").Funcs(template.FuncMap{
	"ago": func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return time.Since(t).Round(time.Second).String() + " ago"
	},
}).Parse(fleetHTML))

type fleetData struct {
	Status      store.Status
	Agents      []agentView
	Silent      int
	SilentAfter time.Duration
	Dealers     int
	Candidates  int
}

// fleetPage is the HQ view: cluster health, then agents, silent first.
func (s *Server) fleetPage(w http.ResponseWriter, r *http.Request) {
	data := fleetData{
		Status: s.store.Status(), Agents: s.fleet(r.Context()), SilentAfter: s.silentAfter,
		Dealers: len(s.store.Dealers()), Candidates: len(s.store.Candidates()),
	}
	for _, a := range data.Agents {
		if a.State == AgentSilent {
			data.Silent++
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	if err := fleetTemplate.Execute(w, data); err != nil {
		s.log.Warn("render fleet page", "err", err)
	}
}
