package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/hub/store"
	"github.com/touchpoint/touchpoint/internal/cli"
)

func runStatus(args []string) error {
	fs := newFlags("status")
	client := clientFlags(fs)
	asJSON := jsonFlag(fs, args)
	if err := fs.Parse(args); err != nil {
		return err
	}
	var st store.Status
	if printed, err := client().list("/v1/status", *asJSON, &st); printed || err != nil {
		return err
	}
	fmt.Printf("node:     %s\nstate:    %s\nterm:     %d\nleader:   %s (%s)\ncommit:   %d\napplied:  %d\npeers:    %d\n",
		st.NodeID, st.State, st.Term, st.LeaderID, st.LeaderAddr, st.CommitIndex, st.AppliedIndex, len(st.Peers))
	return nil
}

func runPeers(args []string) error {
	fs := newFlags("peers")
	client := clientFlags(fs)
	asJSON := jsonFlag(fs, args)
	if err := fs.Parse(args); err != nil {
		return err
	}
	var out struct {
		Peers []store.Peer `json:"peers"`
	}
	if printed, err := client().list("/v1/peers", *asJSON, &out); printed || err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tRAFT\tHTTP\tAGENTS\tSUFFRAGE")
	for _, p := range out.Peers {
		n := state.Node{}
		if p.Node != nil {
			n = *p.Node
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.ID, p.RaftAddr, n.HTTPAddr, n.AgentAddr, p.Suffrage)
	}
	return tw.Flush()
}

func runJoin(args []string) error {
	fs := newFlags("join")
	client := clientFlags(fs)
	var n state.Node
	fs.StringVar(&n.ID, "node-id", "", "id of the node to add")
	fs.StringVar(&n.RaftAddr, "raft-addr", "", "its Raft address")
	fs.StringVar(&n.HTTPAddr, "http-addr", "", "its HTTP address")
	fs.StringVar(&n.AgentAddr, "agent-addr", "", "its agent (QUIC) address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if n.ID == "" || n.RaftAddr == "" || n.HTTPAddr == "" {
		return cli.UsageError("--node-id, --raft-addr and --http-addr are required")
	}
	return client().do(context.Background(), "POST", "/v1/peers", n, nil)
}

func runRemovePeer(args []string) error {
	fs := newFlags("remove-peer")
	client := clientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return cli.UsageError("give the node id to remove")
	}
	return client().do(context.Background(), "DELETE", "/v1/peers/"+fs.Arg(0), nil, nil)
}

func runTransferLeader(args []string) error {
	fs := newFlags("transfer-leader")
	client := clientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	return client().do(context.Background(), "POST", "/v1/leader/transfer", nil, nil)
}

func runToken(args []string) error {
	fs := newFlags("token")
	client := clientFlags(fs)
	dealer := fs.String("dealer", "", "dealer the agent will serve")
	ttl := fs.String("ttl", "24h", "how long the token stays valid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() != 1 || fs.Arg(0) != "create":
		return cli.UsageError("give create --dealer ID")
	case *dealer == "":
		return cli.UsageError("--dealer: required")
	}
	var out struct{ Token string }
	body := map[string]string{"dealer": *dealer, "ttl": *ttl}
	if err := client().do(context.Background(), "POST", "/v1/tokens", body, &out); err != nil {
		return err
	}
	fmt.Println(out.Token)
	return nil
}
