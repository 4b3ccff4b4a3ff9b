// Command touchpoint-agent runs at a dealership: it keeps the dealer's
// customers, records showroom interactions locally first, syncs with the
// hub, and serves the staff page, API and CLI.
package main

import (
	"github.com/spf13/pflag"
	"github.com/touchpoint/touchpoint/customer/csvimport/importcmd"
	"github.com/touchpoint/touchpoint/internal/cli"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

// program is touchpoint-agent; init fills in its commands, whose flag
// sets read their usage lines from it.
var program = &cli.Program{
	Name: "touchpoint-agent",
	Note: "Staff commands talk to the running agent: --addr URL or TOUCHPOINT_AGENT_ADDR.",
}

func init() {
	program.Commands = []cli.Command{
		{Name: "enroll", Usage: "enroll --hub ADDR --token TOKEN --data-dir DIR", Short: "enrol this PC at the hub", Run: runEnroll},
		{Name: "run", Usage: "run [--config FILE] [--data-dir DIR] [--http-addr ADDR]", Short: "run the agent in the foreground", Run: runAgent},
		{Name: "install", Usage: "install --hub ADDR --token TOKEN [--data-dir DIR] [--http-addr ADDR] [--no-start]", Short: "enrol, write the config file and register the service", Run: runInstall},
		{Name: "uninstall", Usage: "uninstall [--purge]", Short: "remove the service", Run: runUninstall},
		{Name: "start", Usage: "start", Short: "start the service", Run: runStart},
		{Name: "stop", Usage: "stop", Short: "stop the service", Run: runStop},
		{Name: "restart", Usage: "restart", Short: "restart the service", Run: runRestart},
		{Name: "status", Usage: "status", Short: "say whether the service runs, and where its files are", Run: runStatus},
		{Name: "config", Usage: "config check [--config FILE]", Short: "check the config file", Run: runConfigCommand, Subcommands: []string{"check"}},
		{Name: "doctor", Usage: "doctor [--config FILE] [--data-dir DIR] [--http-addr ADDR] [--json]", Short: "check the hub link, certificates, clock, disk and store", Run: runDoctor},
		{Name: "lookup", Usage: "lookup --phone P | --email E | --name N | --vin VIN | --plate PLATE | --customer-id ID [--json]", Short: "find a customer and print their timeline", Run: runLookup},
		{Name: "record", Usage: "record --type TYPE (--phone P | --email E | --customer-id ID ...) [--note TEXT] [--json]", Short: "record a showroom event", Run: runRecord},
		{Name: "sync-status", Usage: "sync-status [--json]", Short: "show the hub connection, last sync and outbox", Run: runSyncStatus},
		{Name: "staff", Usage: "staff add USERNAME --name NAME [--password-stdin] [--json] | staff list [--json] | staff remove USERNAME | staff audit [--customer-id ID] [--json]", Short: "manage the staff page's logins and see who viewed whom", Run: runStaff,
			Subcommands: []string{"add", "list", "remove", "audit"}},
		{Name: "import", Usage: importcmd.Usage, Short: "import a CSV export of a dealer system at this dealer", Run: runImport},
		program.VersionCommand(version),
	}
}

func main() {
	program.Main()
}

// newFlags makes the flag set of the command name.
func newFlags(name string) *pflag.FlagSet { return program.NewFlags(name) }
