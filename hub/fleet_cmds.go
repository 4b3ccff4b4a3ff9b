package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"
	"github.com/touchpoint/touchpoint/hub/fleet"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/internal/cli"
)

func runDealer(args []string) error {
	fs := newFlags("dealer")
	client := clientFlags(fs)
	var d state.Dealer
	fs.StringVar(&d.Name, "name", "", "the dealership's name")
	market := fs.String("market", "", "comma-separated postcode prefixes of its market area")
	fs.StringVar(&d.Country, "country", "US", "its country (ISO code), for phone numbers")
	asJSON := jsonFlag(fs, args, "list")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 1 && fs.Arg(0) == "list":
		return listDealers(client(), *asJSON)
	case fs.NArg() != 2 || (fs.Arg(0) != "add" && fs.Arg(0) != "update"):
		return cli.UsageError("give add ID, update ID or list")
	}
	d.ID = fs.Arg(1)
	for _, m := range strings.Split(*market, ",") {
		if m = strings.TrimSpace(m); m != "" {
			d.Market = append(d.Market, m)
		}
	}
	c := client()
	if fs.Arg(0) == "update" {
		return updateDealer(c, d, fs.Changed("name"), fs.Changed("market"), fs.Changed("country"))
	}
	if err := c.do(context.Background(), "POST", "/v1/dealers", d, nil); err != nil {
		return err
	}
	fmt.Printf("dealer %s added\n", d.ID)
	return nil
}

// updateDealer changes only the fields given on the command line.
func updateDealer(c *apiClient, d state.Dealer, name, market, country bool) error {
	var all struct {
		Dealers []state.Dealer `json:"dealers"`
	}
	if err := c.do(context.Background(), "GET", "/v1/dealers", nil, &all); err != nil {
		return err
	}
	for _, have := range all.Dealers {
		if have.ID != d.ID {
			continue
		}
		if !name {
			d.Name = have.Name
		}
		if !market {
			d.Market = have.Market
		}
		if !country {
			d.Country = have.Country
		}
		if err := c.do(context.Background(), "PUT", "/v1/dealers/"+d.ID, d, nil); err != nil {
			return err
		}
		fmt.Printf("dealer %s updated\n", d.ID)
		return nil
	}
	return fmt.Errorf("no dealer %s: add it with `touchpoint-hub dealer add`", d.ID)
}

func listDealers(c *apiClient, asJSON bool) error {
	var out struct {
		Dealers []state.Dealer `json:"dealers"`
	}
	if printed, err := c.list("/v1/dealers", asJSON, &out); printed || err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCOUNTRY\tMARKET")
	for _, d := range out.Dealers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.ID, d.Name, d.Country, strings.Join(d.Market, ","))
	}
	return tw.Flush()
}

// agentRow is one line of `agent list`: GET /v1/agents's agent.
type agentRow struct {
	state.Agent
	State  string        `json:"state"`
	Health *fleet.Report `json:"health"`
}

func runAgent(args []string) error {
	fs := newFlags("agent")
	client := clientFlags(fs)
	asJSON := jsonFlag(fs, args, "list")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 2 && fs.Arg(0) == "revoke" {
		if err := client().do(context.Background(), "POST", "/v1/agents/"+fs.Arg(1)+"/revoke", nil, nil); err != nil {
			return err
		}
		fmt.Printf("agent %s revoked: its next request is refused\n", fs.Arg(1))
		return nil
	}
	if fs.NArg() != 1 || fs.Arg(0) != "list" {
		return cli.UsageError("give list or revoke ID")
	}
	var out struct {
		Agents []agentRow `json:"agents"`
	}
	if printed, err := client().list("/v1/agents", *asJSON, &out); printed || err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATE\tDEALER\tAGENT\tLAST SEEN\tNODE\tFEED LAG\tOUTBOX\tOLDEST UNSENT\tVERSION")
	for _, a := range out.Agents {
		if a.Health == nil {
			fmt.Fprintf(tw, "%s\t%s\t%s\tnever\t\t\t\t\t\n", a.State, a.Dealer, a.ID)
			continue
		}
		h := a.Health
		oldest := "-"
		if h.OldestUnsent > 0 {
			oldest = time.Since(time.Unix(h.OldestUnsent, 0)).Round(time.Second).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s ago\t%s\t%d\t%d\t%s\t%s\n", a.State, a.Dealer, a.ID,
			time.Since(h.LastSeen).Round(time.Second), h.Node, h.FeedLag, h.OutboxLen, oldest, h.Software)
	}
	return tw.Flush()
}

// jsonFlag adds --json to fs when args run one of the subcommands that
// print a listing (a listing without subcommands passes none): the
// other subcommands print a line for people and take no --json.
func jsonFlag(fs *pflag.FlagSet, args []string, listings ...string) *bool {
	if sub := cli.Subcommand(args); len(listings) == 0 || slices.Contains(listings, sub) {
		return fs.Bool("json", false, "print the answer as JSON (snake_case keys), as the API gives it")
	}
	return new(bool)
}
