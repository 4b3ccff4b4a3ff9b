package main

import (
	"fmt"
	"strings"

	"github.com/touchpoint/touchpoint/customer"
)

// maxFullProfiles is how many profiles lookup prints in full; more are
// summed up in one table.
const maxFullProfiles = 3

// printLookup prints what a lookup found: each profile with its timeline,
// or a table of them when there are many. names holds the names of
// household members by customer id.
func printLookup(found []customer.Profile, names map[string]string) {
	switch {
	case len(found) == 0:
		fmt.Println("no customer found")
	case len(found) > maxFullProfiles:
		t := stdoutTable("NAME", "CUSTOMER", "PHONES", "EMAILS", "JOURNEY", "TIER")
		for i := range found {
			p := &found[i]
			t.row(orUnknown(fullName(p)), p.CustomerID, strings.Join(p.Phones, ", "), strings.Join(p.Emails, ", "), p.JourneyStage, p.ValueTier)
		}
		t.flush()
		fmt.Printf("\n%d customers: run `lookup --customer-id ID` for one's whole history\n", len(found))
	default:
		for i := range found {
			printProfile(&found[i], names)
		}
	}
}

// printProfile prints one profile as the staff page shows it: household
// members by name, the timeline newest first.
func printProfile(p *customer.Profile, names map[string]string) {
	status := ""
	if p.Provisional {
		status = "  (recorded here, not yet confirmed by the hub)"
	}
	fmt.Printf("%s  [%s]%s\n", orUnknown(fullName(p)), p.CustomerID, status)
	facts := newTableNoHeader()
	facts.row("  journey:", p.JourneyStage+", value tier "+p.ValueTier)
	facts.row("  phones:", strings.Join(p.Phones, ", "))
	facts.row("  emails:", strings.Join(p.Emails, ", "))
	facts.row("  moments:", moments(p))
	facts.row("  household:", household(p, names))
	for _, v := range p.Household.Vehicles {
		facts.row("  vehicle:", strings.TrimSpace(v.Model+" "+v.VIN+" "+yearOf(v.Year)))
	}
	facts.flush()
	fmt.Println("  timeline (newest first):")
	t := stdoutTable("    WHEN", "CHANNEL", "TYPE", "SOURCE", "STAFF", "DETAIL")
	for i := len(p.Events) - 1; i >= 0; i-- {
		e := &p.Events[i]
		t.row("    "+e.OccurredAt.Local().Format("2006-01-02 15:04"), e.Channel, e.Type, e.Source, e.Staff, eventDetail(e))
	}
	t.flush()
	fmt.Println()
}

// household lists the members by name, the customer first; a member
// not cached here shows by id.
func household(p *customer.Profile, names map[string]string) string {
	parts := []string{orUnknown(fullName(p)) + " (this customer)"}
	for _, id := range p.Household.Members {
		name, cached := names[id]
		switch {
		case id == p.CustomerID:
		case cached:
			parts = append(parts, orUnknown(name)+" ["+id+"]")
		default:
			parts = append(parts, id+" (not on this PC)")
		}
	}
	if len(parts) == 1 {
		return "no one else known"
	}
	return strings.Join(parts, ", ")
}

// moments lists the moments of truth reached, in journey order.
func moments(p *customer.Profile) string {
	var parts []string
	for _, m := range []string{"first_test_drive", "first_purchase", "first_delivery", "first_service"} {
		if at, ok := p.Moments[m]; ok {
			parts = append(parts, strings.ReplaceAll(m, "_", " ")+" "+at.Local().Format("2006-01-02"))
		}
	}
	if len(parts) == 0 {
		return "none yet"
	}
	return strings.Join(parts, ", ")
}

func printSyncStatus(out map[string]any) {
	hub, _ := out["hub"].(map[string]any)
	connected := "no (working offline: recording still works)"
	if hub["connected"] == true {
		connected = fmt.Sprintf("yes, to %v", hub["hub"])
	}
	t := newTableNoHeader()
	t.row("dealer:", fmt.Sprint(out["dealer"]))
	t.row("hub:", connected)
	t.row("last sync:", fmt.Sprint(orNever(hub["last_sync"])))
	t.row("outbox:", fmt.Sprintf("%v events waiting", out["outbox_len"]))
	t.row("rejected:", fmt.Sprint(out["rejected"]))
	t.row("cursor:", fmt.Sprintf("%v (lag %v)", out["cursor"], hub["cursor_lag"]))
	t.row("profiles:", fmt.Sprintf("%v cached", out["profiles"]))
	if e, ok := hub["last_error"].(string); ok && e != "" {
		t.row("last error:", e)
	}
	t.flush()
}

// newTableNoHeader is a table of "label: value" lines.
func newTableNoHeader() *table { return stdoutTable() }

func fullName(p *customer.Profile) string {
	return strings.TrimSpace(p.GivenName + " " + p.FamilyName)
}

func orNever(v any) any {
	if v == nil || v == "" {
		return "never"
	}
	return v
}

func eventDetail(e *customer.Event) string {
	var parts []string
	if e.Vehicle != nil && e.Vehicle.Model != "" {
		parts = append(parts, e.Vehicle.Model)
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
