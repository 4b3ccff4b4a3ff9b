package customer

import "time"

// Moments of truth: the first time a customer reached each milestone.
var momentOfType = map[string]string{
	"test_drive":    "first_test_drive",
	"purchase":      "first_purchase",
	"delivery":      "first_delivery",
	"service_visit": "first_service",
}

// ownershipTypes are the event types whose VIN says the customer's
// household owns the car. A test drive's VIN is a dealer's demo car and
// ties nobody together.
var ownershipTypes = map[string]bool{"purchase": true, "delivery": true, "service_visit": true}

// Value tiers, from the cars a household owns and the purchases a person made.
const (
	TierProspect = "prospect" // no purchase, no owned car
	TierSilver   = "silver"   // one
	TierGold     = "gold"     // two
	TierPlatinum = "platinum" // three or more
)

// ValueTier is the customer's tier: the larger of the person's purchases
// and the household's owned cars decides it.
func ValueTier(purchases, householdCars int) string {
	switch n := max(purchases, householdCars); {
	case n >= 3:
		return TierPlatinum
	case n == 2:
		return TierGold
	case n == 1:
		return TierSilver
	}
	return TierProspect
}

// moments returns the first occurrence of each moment of truth in a
// timeline sorted oldest first.
func moments(events []Event) map[string]time.Time {
	out := map[string]time.Time{}
	for i := range events {
		if name, ok := momentOfType[events[i].Type]; ok {
			if _, seen := out[name]; !seen {
				out[name] = events[i].OccurredAt
			}
		}
	}
	return out
}

// OwnedVehicles returns the cars the events show the customer owns, once
// per VIN, latest details winning.
func OwnedVehicles(events []Event) []Vehicle {
	var out []Vehicle
	for i := range events {
		v := events[i].Vehicle
		if v == nil || !ownershipTypes[events[i].Type] || NormalizeVIN(v.VIN) == "" {
			continue
		}
		out = mergeVehicle(out, Vehicle{Model: v.Model, VIN: NormalizeVIN(v.VIN), Year: v.Year})
	}
	return out
}

func mergeVehicle(list []Vehicle, v Vehicle) []Vehicle {
	for i := range list {
		if list[i].VIN == v.VIN {
			if v.Model != "" {
				list[i].Model = v.Model
			}
			if v.Year != 0 {
				list[i].Year = v.Year
			}
			return list
		}
	}
	return append(list, v)
}

func countType(events []Event, typ string) int {
	n := 0
	for i := range events {
		if events[i].Type == typ {
			n++
		}
	}
	return n
}
