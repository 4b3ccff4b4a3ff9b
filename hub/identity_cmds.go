package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/internal/cli"
)

func runCandidates(args []string) error {
	fs := newFlags("candidates")
	client := clientFlags(fs)
	asJSON := jsonFlag(fs, args, "", "list")
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
	var out struct {
		Candidates []state.Candidate `json:"candidates"`
	}
	if printed, err := c.list("/v1/candidates", asJSON, &out); printed || err != nil {
		return err
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

// runMerges lists the merges a customer took part in, oldest first.
func runMerges(args []string) error {
	fs := newFlags("merges")
	client := clientFlags(fs)
	asJSON := jsonFlag(fs, args)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.UsageError("give one CUSTOMER_ID")
	}
	var out struct {
		Merges []state.Merge `json:"merges"`
	}
	if printed, err := client().list("/v1/customers/"+url.PathEscape(fs.Arg(0))+"/merges", *asJSON, &out); printed || err != nil {
		return err
	}
	if len(out.Merges) == 0 {
		fmt.Printf("customer %s took part in no merge\n", fs.Arg(0))
		return nil
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MERGE\tWHEN\tSURVIVOR\tMERGED\tEVENTS\tREASON\tSPLIT")
	for _, m := range out.Merges {
		split := "-"
		if m.SplitAt != 0 {
			split = unixTime(m.SplitAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", m.ID, unixTime(m.At), m.Survivor, m.Merged, len(m.Events), m.Reason, split)
	}
	return tw.Flush()
}

// unixTime shows unix seconds as local time to the minute.
func unixTime(sec int64) string { return time.Unix(sec, 0).Format("2006-01-02 15:04") }

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
