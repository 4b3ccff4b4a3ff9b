// Command touchpoint-hub runs a node of the hub cluster and talks to a
// running node's operator API.
package main

import (
	"github.com/spf13/pflag"
	"github.com/touchpoint/touchpoint/customer/csvimport/importcmd"
	"github.com/touchpoint/touchpoint/internal/cli"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

// program is touchpoint-hub; init fills in its commands, whose flag sets
// read their usage lines from it.
var program = &cli.Program{
	Name: "touchpoint-hub",
	Note: "Every command but serve talks to a running node: --addr URL or TOUCHPOINT_HUB_ADDR.",
}

func init() {
	program.Commands = []cli.Command{
		{Name: "serve", Usage: "serve --node-id ID --data-dir DIR [--bootstrap | --join ADDR]", Short: "run a node of the hub cluster", Run: runServe},
		{Name: "status", Usage: "status [--json]", Short: "show a node's Raft state", Run: runStatus},
		{Name: "peers", Usage: "peers [--json]", Short: "list the cluster's nodes", Run: runPeers},
		{Name: "join", Usage: "join --node-id ID --raft-addr ADDR --http-addr ADDR [--agent-addr ADDR]", Short: "add a node to the cluster", Run: runJoin},
		{Name: "remove-peer", Usage: "remove-peer NODE_ID", Short: "remove a node from the cluster", Run: runRemovePeer},
		{Name: "transfer-leader", Usage: "transfer-leader", Short: "hand leadership to another node", Run: runTransferLeader},
		{Name: "dealer", Usage: "dealer add|update ID [--name NAME] [--market PREFIXES] [--country CC] | dealer list [--json]", Short: "add, update or list dealers", Run: runDealer, Subcommands: []string{"add", "update", "list"}},
		{Name: "token", Usage: "token create --dealer ID [--ttl 24h]", Short: "create a one-time enrolment token for an agent", Run: runToken, Subcommands: []string{"create"}},
		{Name: "key", Usage: "key create --source SOURCE [--read]", Short: "create a channel key", Run: runKey, Subcommands: []string{"create"}},
		{Name: "agent", Usage: "agent list [--json] | agent revoke ID", Short: "list or revoke dealer agents", Run: runAgent, Subcommands: []string{"list", "revoke"}},
		{Name: "erase", Usage: "erase CUSTOMER_ID | erase status [--json]", Short: "erase a customer everywhere, or show the erasures' progress", Run: runErase, Subcommands: []string{"status"}},
		{Name: "snapshot", Usage: "snapshot save FILE | snapshot restore FILE", Short: "save or restore the cluster's state", Run: runSnapshot, Subcommands: []string{"save", "restore"}},
		{Name: "candidates", Usage: "candidates [list] [--json] | candidates confirm ID | candidates reject ID", Short: "review possible duplicate customers", Run: runCandidates, Subcommands: []string{"list", "confirm", "reject"}},
		{Name: "merges", Usage: "merges CUSTOMER_ID [--json]", Short: "show how a customer was merged", Run: runMerges},
		{Name: "split", Usage: "split MERGE_ID", Short: "undo a merge", Run: runSplit},
		{Name: "import", Usage: importcmd.Usage, Short: "import a CSV export of a dealer system", Run: runImport},
		program.VersionCommand(version),
	}
}

func main() {
	program.Main()
}

// newFlags makes the flag set of the command name.
func newFlags(name string) *pflag.FlagSet { return program.NewFlags(name) }
