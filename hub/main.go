// Command touchpoint-hub runs a node of the hub cluster and talks to a
// running node's operator API.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/pflag"
)

// usages holds each subcommand's usage line.
var usages = map[string]string{
	"serve":           "serve --node-id ID --data-dir DIR [--bootstrap | --join ADDR]",
	"status":          "status [--json]",
	"peers":           "peers [--json]",
	"join":            "join --node-id ID --raft-addr ADDR --http-addr ADDR [--agent-addr ADDR]",
	"remove-peer":     "remove-peer NODE_ID",
	"transfer-leader": "transfer-leader",
	"dealer":          "dealer add|update ID [--name NAME] [--market PREFIXES] [--country CC] | dealer list [--json]",
	"token":           "token create --dealer ID [--ttl 24h]",
	"agent":           "agent list [--json] | agent revoke ID",
	"key":             "key create --source SOURCE [--read]",
	"erase":           "erase CUSTOMER_ID | erase status",
	"snapshot":        "snapshot save FILE | snapshot restore FILE",
	"candidates":      "candidates [list | confirm ID | reject ID] [--json]",
	"merges":          "merges CUSTOMER_ID",
	"split":           "split MERGE_ID",
}

// commands maps each subcommand to what it runs.
var commands = map[string]func(args []string) error{
	"serve": runServe, "status": runStatus, "peers": runPeers, "join": runJoin,
	"remove-peer": runRemovePeer, "transfer-leader": runTransferLeader,
	"dealer": runDealer, "token": runToken, "agent": runAgent,
	"candidates": runCandidates, "merges": runMerges, "split": runSplit,
	"snapshot": runSnapshot, "key": runKey, "erase": runErase,
}

var order = []string{"serve", "status", "peers", "join", "remove-peer", "transfer-leader", "dealer", "token", "key", "agent", "erase", "snapshot", "candidates", "merges", "split"}

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
		fmt.Fprintf(os.Stderr, "touchpoint-hub: unknown command %q\n\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	if err := run(os.Args[2:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return
		}
		fmt.Fprintf(os.Stderr, "touchpoint-hub %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "Usage: touchpoint-hub COMMAND [flags]\n\nCommands:")
	for _, name := range order {
		fmt.Fprintf(os.Stderr, "  %s\n", usages[name])
	}
	fmt.Fprintln(os.Stderr, "\nEvery command but serve talks to a running node: --addr URL or TOUCHPOINT_HUB_ADDR.\nRun a command with --help for its flags.")
}

// newFlags makes a command's flag set; errors are returned, not fatal.
func newFlags(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "Usage: touchpoint-hub %s\n\nFlags:\n%s", usages[name], fs.FlagUsages())
	}
	return fs
}
