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
	c := client()
	var out struct {
		Customers []customer.Profile `json:"customers"`
	}
	if printed, err := c.list("/v1/customers", query, *asJSON, &out); printed || err != nil {
		return err
	}
	printLookup(out.Customers, householdNames(c, out.Customers))
	return nil
}

// householdNames names the household members of the profiles lookup
// prints in full, by customer id: from the profiles found, else from the
// agent's cache without asking the hub, as the staff page does. A member
// not cached here has no entry (lookup shows its id).
func householdNames(c *agentClient, found []customer.Profile) map[string]string {
	names := map[string]string{}
	for i := range found {
		names[found[i].CustomerID] = fullName(&found[i])
	}
	if len(found) > maxFullProfiles {
		return names
	}
	asked := map[string]bool{}
	for _, p := range found {
		for _, id := range p.Household.Members {
			if _, ok := names[id]; ok || asked[id] {
				continue
			}
			asked[id] = true
			var out struct {
				Customers []customer.Profile `json:"customers"`
			}
			q := url.Values{"customer_id": {id}, "local": {"true"}}
			if err := c.get("/v1/customers", q, &out); err == nil && len(out.Customers) == 1 {
				names[id] = fullName(&out.Customers[0])
			}
		}
	}
	return names
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
	var raw json.RawMessage
	if err := client().do("POST", "/v1/events", e, &raw); err != nil {
		return err
	}
	if *asJSON {
		return printRaw(raw)
	}
	var out struct {
		Results []protocol.Result `json:"results"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return fmt.Errorf("decode the agent's answer: %w", err)
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
	var out map[string]any // numbers as json.Number: a cursor is a whole number
	if printed, err := client().list("/v1/sync", nil, *asJSON, &out); printed || err != nil {
		return err
	}
	printSyncStatus(out)
	return nil
}

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
