package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/internal/cli"
)

func runCandidates(args []string) error {
	fs := newFlags("candidates")
	client := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 0 || (fs.NArg() == 1 && fs.Arg(0) == "list"):
		return listCandidates(client(), *asJSON)
	case fs.NArg() == 2 && (fs.Arg(0) == "confirm" || fs.Arg(0) == "reject"):
		if err := client().do(context.Background(), "POST", "/v1/candidates/"+fs.Arg(1)+"/"+fs.Arg(0), nil, nil); err != nil {
			return err
		}
		fmt.Printf("candidate %s %sed\n", fs.Arg(1), strings.TrimSuffix(fs.Arg(0), "e"))
		return nil
	}
	return cli.UsageError("give list, confirm ID or reject ID")
}

func listCandidates(c *apiClient, asJSON bool) error {
	var out struct{ Candidates []state.Candidate }
	if err := c.do(context.Background(), "GET", "/v1/candidates", nil, &out); err != nil {
		return err
	}
	if asJSON {
		printJSON(out)
		return nil
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSCORE\tEVIDENCE")
	for _, cd := range out.Candidates {
		var ev []string
		for _, e := range cd.Evidence {
			ev = append(ev, fmt.Sprintf("%s %.2f", e.Field, e.Similarity))
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%s\n", cd.ID, cd.Score, strings.Join(ev, ", "))
	}
	return tw.Flush()
}

func runMerges(args []string) error {
	fs := newFlags("merges")
	client := clientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.UsageError("give one CUSTOMER_ID")
	}
	var out json.RawMessage
	if err := client().do(context.Background(), "GET", "/v1/customers/"+fs.Arg(0)+"/merges", nil, &out); err != nil {
		return err
	}
	fmt.Println(string(out))
	return nil
}

func runSplit(args []string) error {
	fs := newFlags("split")
	client := clientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.UsageError("give one MERGE_ID")
	}
	if err := client().do(context.Background(), "POST", "/v1/merges/"+fs.Arg(0)+"/split", nil, nil); err != nil {
		return err
	}
	fmt.Printf("merge %s split: both customers have their own events again\n", fs.Arg(0))
	return nil
}
