// Command touchpoint-agent runs at a dealership: it keeps the dealer's
// customers, records showroom interactions locally first, syncs with the
// hub, and serves the staff page, API and CLI.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/pflag"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

var usages = map[string]string{
	"enroll":      "enroll --hub ADDR --token TOKEN --data-dir DIR",
	"run":         "run [--config FILE] [--data-dir DIR] [--http-addr ADDR]",
	"install":     "install --hub ADDR --token TOKEN [--data-dir DIR] [--http-addr ADDR] [--no-start]",
	"uninstall":   "uninstall [--purge]",
	"start":       "start",
	"stop":        "stop",
	"restart":     "restart",
	"status":      "status",
	"config":      "config check [--config FILE]",
	"doctor":      "doctor [--config FILE] [--data-dir DIR] [--http-addr ADDR]",
	"lookup":      "lookup --phone P | --email E | --name N | --vin VIN | --plate PLATE | --customer-id ID [--json]",
	"record":      "record --type TYPE (--phone P | --email E | --customer-id ID ...) [--note TEXT]",
	"sync-status": "sync-status [--json]",
	"staff":       "staff add USERNAME --name NAME [--password-stdin] | staff list | staff remove USERNAME | staff audit [--customer-id ID] [--json]",
	"version":     "version",
}

var commands = map[string]func(args []string) error{
	"enroll": runEnroll, "run": runAgent, "lookup": runLookup,
	"record": runRecord, "sync-status": runSyncStatus, "version": runVersion,
	"staff":   runStaff,
	"install": runInstall, "uninstall": runUninstall, "start": runStart, "stop": runStop,
	"restart": runRestart, "status": runStatus, "config": runConfigCommand, "doctor": runDoctor,
}

var order = []string{"enroll", "run", "install", "uninstall", "start", "stop", "restart", "status", "config", "doctor", "lookup", "record", "sync-status", "staff", "version"}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "--help" || os.Args[1] == "-h" || os.Args[1] == "help" {
		usage()
		if len(os.Args) < 2 {
			os.Exit(2)
		}
		return
	}
	run, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "touchpoint-agent: unknown command %q\n\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	if err := run(os.Args[2:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return
		}
		fmt.Fprintf(os.Stderr, "touchpoint-agent %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "Usage: touchpoint-agent COMMAND [flags]\n\nCommands:")
	for _, name := range order {
		fmt.Fprintf(os.Stderr, "  %s\n", usages[name])
	}
	fmt.Fprintln(os.Stderr, "\nStaff commands talk to the running agent: --addr URL or TOUCHPOINT_AGENT_ADDR.\nRun a command with --help for its flags.")
}

func newFlags(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "Usage: touchpoint-agent %s\n\nFlags:\n%s", usages[name], fs.FlagUsages())
	}
	return fs
}

func runVersion([]string) error {
	fmt.Println("touchpoint-agent", version)
	return nil
}
