package main

import (
	"os"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/customer/csvimport/importcmd"
)

// The import command registers itself, to keep main.go's tables short.
func init() {
	usages["import"] = importcmd.Usage
	commands["import"] = runImport
	order = append(order, "import")
}

// runImport imports a CSV export at this dealer through the running
// agent's POST /v1/events: each row is recorded locally like any
// showroom event (source dealer:<id>, which the agent sets) and reaches
// the hub through the outbox. --source only names the import: it goes
// into the rows' derived ids, so a rerun finds the same ids.
func runImport(args []string) error {
	fs := newFlags("import")
	client := clientFlags(fs)
	flags := importcmd.AddFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	file, err := importcmd.File(fs)
	if err != nil {
		return err
	}
	c := client()
	target := importcmd.Target{Name: "agent", URL: c.base + "/v1/events", Token: c.token, Outgoing: clearSource}
	return importcmd.Exit("touchpoint-agent", importcmd.Run(file, flags, target, os.Stdout, os.Stderr))
}

func clearSource(e *customer.Event) { e.Source = "" }
