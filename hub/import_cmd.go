package main

import "github.com/touchpoint/touchpoint/customer/csvimport/importcmd"

// runImport imports a CSV export into the hub as import:NAME events,
// through the node's POST /v1/events.
func runImport(args []string) error {
	fs := newFlags("import")
	client := clientFlags(fs)
	return importcmd.Main(program.Name, fs, args, func() importcmd.Target {
		c := client()
		return importcmd.Target{Name: "hub", URL: c.Base + "/v1/events", Token: c.Token}
	})
}
