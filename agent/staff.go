package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/internal/cli"
	"github.com/touchpoint/touchpoint/protocol"
)

func runLookup(args []string) error {
	fs := newFlags("lookup")
	client := clientFlags(fs)
	q := map[string]*string{
		"phone":       fs.String("phone", "", "phone number, written any way"),
		"email":       fs.String("email", "", "email address"),
		"name":        fs.String("name", "", "name, e.g. \"Anna Petrova\""),
		"customer_id": fs.String("customer-id", "", "Touchpoint customer id"),
		"vin":         fs.String("vin", "", "VIN of a car the customer or their household has (this PC's customers only)"),
		"plate":       fs.String("plate", "", "licence plate recorded for the customer (this PC's customers only)"),
	}
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	query := url.Values{}
	for k, v := range q {
		if *v != "" {
			query.Set(k, *v)
		}
	}
	if len(query) != 1 {
		return cli.UsageError("give exactly one of --phone, --email, --name, --vin, --plate or --customer-id")
	}
	var out struct {
		Customers []customer.Profile `json:"customers"`
	}
	if err := client().get("/v1/customers", query, &out); err != nil {
		return err
	}
	if *asJSON {
		return printJSON(out)
	}
	printLookup(out.Customers)
	return nil
}

func runRecord(args []string) error {
	fs := newFlags("record")
	client := clientFlags(fs)
	var e customer.Event
	fs.StringVar(&e.Type, "type", "", "event type: showroom_visit, test_drive, quote, ...")
	fs.StringVar(&e.ID, "id", "", "event id (default: generated)")
	fs.StringVar(&e.Channel, "channel", "showroom", "channel")
	fs.StringVar(&e.Customer.Phone, "phone", "", "customer's phone")
	fs.StringVar(&e.Customer.Email, "email", "", "customer's email")
	fs.StringVar(&e.Customer.CustomerID, "customer-id", "", "Touchpoint customer id")
	fs.StringVar(&e.Customer.GivenName, "given-name", "", "customer's given name")
	fs.StringVar(&e.Customer.FamilyName, "family-name", "", "customer's family name")
	model := fs.String("model", "", "vehicle model")
	vin := fs.String("vin", "", "vehicle VIN")
	fs.StringVar(&e.Note, "note", "", "free-text note")
	fs.StringVar(&e.Staff, "staff", "", "who is recording")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if e.Type == "" {
		return cli.UsageError("--type: required (e.g. test_drive)")
	}
	if *model != "" || *vin != "" {
		e.Vehicle = &customer.Vehicle{Model: *model, VIN: *vin}
	}
	var out struct {
		Results []protocol.Result `json:"results"`
	}
	if err := client().do("POST", "/v1/events", e, &out); err != nil {
		return err
	}
	if *asJSON {
		return printJSON(out)
	}
	for _, r := range out.Results {
		fmt.Printf("recorded %s (%s); it syncs to the hub in the background\n", r.ID, r.Status)
	}
	return nil
}

func runSyncStatus(args []string) error {
	fs := newFlags("sync-status")
	client := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var out map[string]any
	if err := client().get("/v1/sync", nil, &out); err != nil {
		return err
	}
	if *asJSON {
		return printJSON(out)
	}
	printSyncStatus(out)
	return nil
}

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
