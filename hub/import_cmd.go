package main

import (
	"os"

	"github.com/touchpoint/touchpoint/customer/csvimport/importcmd"
)

// The import command registers itself, to keep main.go's tables short.
func init() {
	usages["import"] = importcmd.Usage
	commands["import"] = runImport
	order = append(order, "import")
}

// runImport imports a CSV export into the hub as import:NAME events,
// through the node's POST /v1/events.
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
	target := importcmd.Target{Name: "hub", URL: c.base + "/v1/events", Token: c.token}
	return importcmd.Exit("touchpoint-hub", importcmd.Run(file, flags, target, os.Stdout, os.Stderr))
}
