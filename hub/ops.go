package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/touchpoint/touchpoint/hub/store"
)

func runStatus(args []string) error {
	fs := newFlags("status")
	client := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var st store.Status
	if err := client().do(context.Background(), "GET", "/v1/status", nil, &st); err != nil {
		return err
	}
	if *asJSON {
		printJSON(st)
		return nil
	}
	fmt.Printf("node:     %s\nstate:    %s\nterm:     %d\nleader:   %s (%s)\ncommit:   %d\napplied:  %d\npeers:    %d\n",
		st.NodeID, st.State, st.Term, st.LeaderID, st.LeaderAddr, st.CommitIndex, st.AppliedIndex, len(st.Peers))
	return nil
}

func runPeers(args []string) error {
	fs := newFlags("peers")
	client := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var out struct{ Peers []store.Peer }
	if err := client().do(context.Background(), "GET", "/v1/peers", nil, &out); err != nil {
		return err
	}
	if *asJSON {
		printJSON(out)
		return nil
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tRAFT\tHTTP\tAGENTS\tSUFFRAGE")
	for _, p := range out.Peers {
		n := store.Node{}
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
	var n store.Node
	fs.StringVar(&n.ID, "node-id", "", "id of the node to add")
	fs.StringVar(&n.RaftAddr, "raft-addr", "", "its Raft address")
	fs.StringVar(&n.HTTPAddr, "http-addr", "", "its HTTP address")
	fs.StringVar(&n.AgentAddr, "agent-addr", "", "its agent (QUIC) address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if n.ID == "" || n.RaftAddr == "" || n.HTTPAddr == "" {
		return errors.New("--node-id, --raft-addr and --http-addr are required")
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
		return errors.New("give the node id to remove")
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

func runDealer(args []string) error {
	fs := newFlags("dealer")
	client := clientFlags(fs)
	var d store.Dealer
	fs.StringVar(&d.Name, "name", "", "the dealership's name")
	market := fs.String("market", "", "comma-separated postcode prefixes of its market area")
	fs.StringVar(&d.Country, "country", "US", "its country (ISO code), for phone numbers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 1 && fs.Arg(0) == "list":
		var out json.RawMessage
		if err := client().do(context.Background(), "GET", "/v1/dealers", nil, &out); err != nil {
			return err
		}
		fmt.Println(string(out))
		return nil
	case fs.NArg() == 2 && fs.Arg(0) == "add":
		d.ID = fs.Arg(1)
	default:
		return errors.New("usage: dealer add ID --name NAME --market PREFIXES | dealer list")
	}
	for _, m := range strings.Split(*market, ",") {
		if m = strings.TrimSpace(m); m != "" {
			d.Market = append(d.Market, m)
		}
	}
	if err := client().do(context.Background(), "POST", "/v1/dealers", d, nil); err != nil {
		return err
	}
	fmt.Printf("dealer %s added\n", d.ID)
	return nil
}

func runToken(args []string) error {
	fs := newFlags("token")
	client := clientFlags(fs)
	dealer := fs.String("dealer", "", "dealer the agent will serve")
	ttl := fs.String("ttl", "24h", "how long the token stays valid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "create" || *dealer == "" {
		return errors.New("usage: token create --dealer ID [--ttl 24h]")
	}
	var out struct{ Token string }
	body := map[string]string{"dealer": *dealer, "ttl": *ttl}
	if err := client().do(context.Background(), "POST", "/v1/tokens", body, &out); err != nil {
		return err
	}
	fmt.Println(out.Token)
	return nil
}

func runAgent(args []string) error {
	fs := newFlags("agent")
	client := clientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "list" {
		return errors.New("usage: agent list")
	}
	var out json.RawMessage
	if err := client().do(context.Background(), "GET", "/v1/agents", nil, &out); err != nil {
		return err
	}
	fmt.Println(string(out))
	return nil
}
