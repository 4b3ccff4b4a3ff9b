package clitest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/touchpoint/touchpoint/internal/cli"
)

// tinyProgram has a status with --json and a staff group whose list
// subcommand alone takes --json.
func tinyProgram() *cli.Program {
	p := &cli.Program{Name: "tp"}
	p.Commands = []cli.Command{
		{Name: "status", Usage: "status [--json]", Short: "show the state", Run: func(args []string) error {
			fs := p.NewFlags("status")
			asJSON := fs.Bool("json", false, "print JSON")
			if err := fs.Parse(args); err != nil {
				return err
			}
			if *asJSON {
				fmt.Println(`{"state": "ok", "cursor": 16777217}`)
			}
			return nil
		}},
		{Name: "staff", Usage: "staff add USER | staff list [--json]", Short: "manage staff", Subcommands: []string{"add", "list"},
			Run: func(args []string) error {
				fs := p.NewFlags("staff")
				var asJSON *bool
				if cli.Subcommand(args) == "list" {
					asJSON = fs.Bool("json", false, "print JSON")
				}
				if err := fs.Parse(args); err != nil {
					return err
				}
				if asJSON != nil && *asJSON {
					fmt.Println(`{"staff": [{"username": "m.jones"}]}`)
				}
				return nil
			}},
	}
	return p
}

// The walk finds --json in the flags of each command and subcommand, not
// in usage lines, and every one found is checked.
func TestJSONCommands_FindsFlagsOfCommandsAndSubcommands(t *testing.T) {
	p := tinyProgram()
	if got, want := JSONCommands(t, p), []string{"status", "staff list"}; !slices.Equal(got, want) {
		t.Fatalf("JSONCommands = %q, want %q", got, want)
	}
	CheckHelp(t, p)
	CheckJSON(t, p, []string{"status", "--json"}, []string{"staff", "list", "--json"})
}
