package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/internal/cli"
)

func runKey(args []string) error {
	fs := newFlags("key")
	client := clientFlags(fs)
	source := fs.String("source", "", "the only source this key may post, e.g. web:zot.example")
	read := fs.Bool("read", false, "the key may also read profiles")
	name := fs.String("name", "", "a note on who holds the key")
	publishable := fs.Bool("publishable", false, "a key for the website snippet (web: sources only): safe to show in a page, works only on /v1/web/events")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() != 1 || fs.Arg(0) != "create":
		return cli.UsageError("give create --source SOURCE")
	case *source == "":
		return cli.UsageError("--source: required, e.g. web:zot.example")
	}
	if *publishable && *read {
		return cli.UsageError("--publishable and --read: a publishable key is seen by every visitor, so it may not read profiles")
	}
	var out struct{ Key string }
	body := map[string]any{"source": *source, "read": *read, "name": *name}
	path := "/v1/keys"
	if *publishable {
		body, path = map[string]any{"source": *source, "name": *name}, "/v1/web/keys"
	}
	if err := client().do(context.Background(), "POST", path, body, &out); err != nil {
		return err
	}
	fmt.Println(out.Key)
	return nil
}

func runErase(args []string) error {
	fs := newFlags("erase")
	client := clientFlags(fs)
	asJSON := jsonFlag(fs, args, "status")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 1 && fs.Arg(0) == "status":
		return eraseStatus(client(), *asJSON)
	case fs.NArg() != 1:
		return cli.UsageError("give one CUSTOMER_ID, or status")
	}
	if err := client().do(context.Background(), "POST", "/v1/customers/"+fs.Arg(0)+"/erase", nil, nil); err != nil {
		return err
	}
	fmt.Printf("customer %s erased at the hub; agents drop it on their next sync (see `touchpoint-hub erase status`)\n", fs.Arg(0))
	return nil
}

// eraseStatus lists the erasures and the agents that have not applied
// each yet.
func eraseStatus(c *apiClient, asJSON bool) error {
	var out struct {
		Erasures []struct {
			state.Erasure
			Pending []string `json:"pending_agents"`
		} `json:"erasures"`
	}
	if printed, err := c.list("/v1/erasures", asJSON, &out); printed || err != nil {
		return err
	}
	if len(out.Erasures) == 0 {
		fmt.Println("no erasures")
		return nil
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CUSTOMER\tFEED SEQ\tDEALERS\tPENDING AGENTS")
	for _, e := range out.Erasures {
		pending := "none: done"
		if len(e.Pending) > 0 {
			pending = strings.Join(e.Pending, ",")
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", e.CustomerID, e.Seq, strings.Join(e.Dealers, ","), pending)
	}
	return tw.Flush()
}
