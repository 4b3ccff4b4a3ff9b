package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/touchpoint/touchpoint/customer"
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
		return errors.New("give exactly one of --phone, --email, --name or --customer-id")
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
	if len(out.Customers) == 0 {
		fmt.Println("no customer found")
		return nil
	}
	for i := range out.Customers {
		printProfile(&out.Customers[i])
	}
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
		return errors.New("--type: required (e.g. test_drive)")
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
	hub, _ := out["hub"].(map[string]any)
	connected := "no (working offline)"
	if hub["connected"] == true {
		connected = fmt.Sprintf("yes, to %v", hub["hub"])
	}
	fmt.Printf("dealer:      %v\nhub:         %s\nlast sync:   %v\noutbox:      %v events waiting\nrejected:    %v\ncursor:      %v (lag %v)\nprofiles:    %v cached\n",
		out["dealer"], connected, orDash(hub["last_sync"]), out["outbox_len"], out["rejected"], out["cursor"], hub["cursor_lag"], out["profiles"])
	if e, ok := hub["last_error"].(string); ok && e != "" {
		fmt.Printf("last error:  %s\n", e)
	}
	return nil
}

func orDash(v any) any {
	if v == nil || v == "" {
		return "never"
	}
	return v
}

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printProfile(p *customer.Profile) {
	name := strings.TrimSpace(p.GivenName + " " + p.FamilyName)
	status := ""
	if p.Provisional {
		status = "  (recorded here, not yet confirmed by the hub)"
	}
	fmt.Printf("%s  [%s]  journey: %s%s\n", orUnknown(name), p.CustomerID, p.JourneyStage, status)
	fmt.Printf("  phones: %s   emails: %s\n", strings.Join(p.Phones, ", "), strings.Join(p.Emails, ", "))
	fmt.Printf("  household %s: members %s\n", p.HouseholdID, strings.Join(p.Household.Members, ", "))
	for _, v := range p.Household.Vehicles {
		fmt.Printf("    vehicle %s %s %s\n", v.Model, v.VIN, yearOf(v.Year))
	}
	fmt.Println("  timeline (oldest first):")
	for _, e := range p.Events {
		fmt.Printf("    %s  %-8s %-20s %-22s %s\n", e.OccurredAt.Format("2006-01-02 15:04"), e.Channel, e.Type, e.Source, eventDetail(&e))
	}
	fmt.Println()
}

func eventDetail(e *customer.Event) string {
	var parts []string
	if e.Vehicle != nil && e.Vehicle.Model != "" {
		parts = append(parts, e.Vehicle.Model)
	}
	if e.Staff != "" {
		parts = append(parts, "staff "+e.Staff)
	}
	if e.Note != "" {
		parts = append(parts, "“"+e.Note+"”")
	}
	return strings.Join(parts, "  ")
}

func orUnknown(s string) string {
	if s == "" {
		return "(name unknown)"
	}
	return s
}

func yearOf(y int) string {
	if y == 0 {
		return ""
	}
	return fmt.Sprint(y)
}
