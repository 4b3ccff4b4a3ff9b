package protocol

import (
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// goldenTime is the fixed time of the golden frames.
var goldenTime = time.Date(2026, 11, 2, 18, 22, 5, 0, time.UTC)

func sampleHello() *Hello {
	return &Hello{MinVersion: 1, MaxVersion: 1, AgentID: "agt_01", Secret: "s3cret", Software: "touchpoint-agent/1.0.0"}
}

func sampleEvent() customer.Event {
	return customer.Event{
		ID:         "evt-1",
		Channel:    "showroom",
		Type:       "test_drive",
		OccurredAt: goldenTime,
		Source:     "dealer:d42",
		Customer:   customer.Hints{Email: "ana@example.com", GivenName: "Ana", FamilyName: "Silva"},
		Vehicle:    &customer.Vehicle{Model: "ID.4", Year: 2026},
		Attributes: map[string]string{"salesperson": "jo", "campaign": "autumn"},
		Note:       "wants a second drive",
	}
}

func samplePush() *Push {
	return &Push{Seq: 7, Events: []customer.Event{sampleEvent()}}
}

// sampleProfile has only fields that travel: the json:"-" ones stay nil.
func sampleProfile() customer.Profile {
	e := sampleEvent()
	return customer.Profile{
		CustomerID:   "cus_1",
		Version:      3,
		GivenName:    "Ana",
		FamilyName:   "Silva",
		Emails:       []string{"ana@example.com"},
		Phones:       []string{},
		WebIDs:       []string{},
		Addresses:    []customer.Address{{City: "Lisboa", Country: "PT"}},
		HouseholdID:  "cus_1",
		Household:    customer.Household{Members: []string{"cus_1"}, Vehicles: []customer.Vehicle{*e.Vehicle}},
		Vehicles:     []customer.Vehicle{*e.Vehicle},
		Channels:     []string{"showroom"},
		Sources:      []string{"dealer:d42"},
		JourneyStage: "consideration",
		Events:       []customer.Event{e},
		Identifiers:  []string{"email:ana@example.com"},
	}
}

// sampleMessages holds one filled-in message of every type.
func sampleMessages() map[Type]any {
	p := sampleProfile()
	return map[Type]any{
		TypeHello:       sampleHello(),
		TypeWelcome:     &Welcome{Version: 1, NodeID: "hub-a", DealerID: "d42", Hubs: []string{"hub-a:4242", "hub-b:4242"}},
		TypeEnroll:      &Enroll{Token: "tok_abc", Hostname: "front-desk"},
		TypeEnrolled:    &Enrolled{AgentID: "agt_01", DealerID: "d42", Secret: "s3cret", Country: "PT", Hubs: []string{"hub-a:4242"}},
		TypePush:        samplePush(),
		TypeAck:         &Ack{Seq: 7, Results: []Result{{ID: "evt-1", Status: StatusCreated, CustomerID: "cus_1"}, {ID: "evt-2", Status: StatusRejected, Field: "customer.email", Reason: "is not an email address"}}},
		TypeFeedRequest: &FeedRequest{Cursor: 1 << 40},
		TypeChanges:     &Changes{Cursor: 99, Changes: []Change{{CustomerID: "cus_1", Profile: &p}, {CustomerID: "cus_2", MergedInto: "cus_1"}, {CustomerID: "cus_3"}}, Resync: true, Behind: 12},
		TypeLookup:      &Lookup{Email: "ana@example.com"},
		TypeLookupReply: &LookupReply{Profiles: []customer.Profile{p}},
		TypeError:       &Error{Code: CodeUnavailable, Message: "no leader"},
		TypeStatus:      &Status{OutboxLen: 3, OldestUnsent: 1793643725, Cursor: 99, Software: "touchpoint-agent/1.0.0"},
		TypeRenew:       &Renew{CSR: []byte{0x30, 0x01}},
		TypeRenewed:     &Renewed{Certificate: []byte{0x30, 0x02}},
		TypeCandidates:  &CandidatesRequest{Limit: 20},
		TypeCandidateList: &CandidateList{Candidates: []CandidateView{{ID: "C1~C2", A: p, B: p, Score: 0.8,
			Evidence: []customer.Evidence{{Field: "name", A: "ana silva", B: "anna silva", Similarity: 0.95}}}}},
		TypeDecide:  &Decide{ID: "C1~C2", Confirm: true, Staff: "jo"},
		TypeDecided: &Decided{ID: "C1~C2", Status: "confirmed"},
	}
}
