package main

import (
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/customer/csvimport/importcmd"
)

// runImport imports a CSV export at this dealer through the running
// agent's POST /v1/events: each row is recorded locally like any
// showroom event (source dealer:<id>, which the agent sets) and reaches
// the hub through the outbox. --source only names the import: it goes
// into the rows' derived ids, so a rerun finds the same ids.
func runImport(args []string) error {
	fs := newFlags("import")
	client := clientFlags(fs)
	return importcmd.Main(program.Name, fs, args, func() importcmd.Target {
		c := client()
		return importcmd.Target{Name: "agent", URL: c.Base + "/v1/events", Token: c.Token, Outgoing: clearSource}
	})
}

func clearSource(e *customer.Event) { e.Source = "" }
