package main

import (
	"errors"
	"os"

	"github.com/touchpoint/touchpoint/customer/csvimport/importcmd"
)

// The import command registers itself, to keep main.go's tables short.
func init() {
	usages["import"] = "import FILE [--source NAME] [--map \"Column=field,...\"] [--type T] [--channel C] [--date D] [--batch 500] [--restart] [--dry-run]"
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
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("give one CSV file to import")
	}
	c := client()
	target := importcmd.Target{Name: "hub", URL: c.base + "/v1/events", Token: c.token}
	return importcmd.Exit("touchpoint-hub", importcmd.Run(fs.Arg(0), flags, target, os.Stdout, os.Stderr))
}
