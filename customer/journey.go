package customer

// Journey stages in order, from the customer-journey map.
var Stages = []string{
	"awareness", "search", "evaluation", "purchase",
	"onboarding", "usage", "loyalty", "advocacy",
}

// stageOfType maps known event types to the stage they show a customer
// has reached. Unknown types show nothing.
var stageOfType = map[string]int{
	"page_view":          0,
	"configurator_saved": 1,
	"brochure_requested": 1,
	"call_inbound":       1,
	"call_outbound":      1,
	"email_sent":         1,
	"showroom_visit":     2,
	"test_drive":         2,
	"quote":              2,
	"purchase":           3,
	"delivery":           4,
	"service_visit":      5,
	"merch_order":        6,
	"survey":             6,
	"review":             7,
	"referral":           7,
}

// StageOf returns the furthest journey stage the events show.
func StageOf(events []Event) string {
	best := -1
	for i := range events {
		if s, ok := stageOfType[events[i].Type]; ok && s > best {
			best = s
		}
	}
	if best < 0 {
		return Stages[0]
	}
	return Stages[best]
}
