package localstore

import (
	"slices"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// A VIN finds the profiles whose vehicles or household cars have it, and
// a plate finds the profiles whose events name it, however written.
func TestSearchVehicle_FindsByVINAndPlate(t *testing.T) {
	s := mustOpen(t)
	purchase := callEvent("dms-1", "312-555-0100", "Ivan", "Petrov", 0)
	purchase.Type, purchase.Vehicle = "purchase", &customer.Vehicle{Model: "ZOT 9", VIN: "1ZT9A2B34C5678901"}
	service := callEvent("svc-1", "312-555-0100", "Ivan", "Petrov", 10)
	service.Type, service.Attributes = "service_visit", map[string]string{PlateAttribute: "IL AB-1234"}
	ivan := hubProfile("C-ivan", 1, purchase, service)
	anna := annaV1()
	anna.Household.Vehicles = ivan.Owned // Ivan's car is the household's
	mustApply(t, s, 1, upsert(ivan), upsert(anna), upsert(hubProfile("C-other", 1, callEvent("c-2", "312-555-0111", "Olga", "Ivanova", 0))))
	tests := []struct {
		query string
		want  []string
	}{
		{"1ZT9A2B34C5678901", []string{"C-anna", "C-ivan"}},
		{" 1zt9a2b34c5678901 ", []string{"C-anna", "C-ivan"}},
		{"ilab1234", []string{"C-ivan"}},
		{"IL-AB 1234", []string{"C-ivan"}},
		{"1ZT9A2B34C567890", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			found, err := s.SearchVehicle(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got := customerIDs(found)
			slices.Sort(got)
			if !slices.Equal(got, tt.want) && len(got)+len(tt.want) > 0 {
				t.Errorf("vehicle search %q = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

// A profile that no longer has the car is no longer found by its VIN, and
// a resync forgets the vehicle index with the rest of the scope.
func TestSearchVehicle_FollowsProfileChanges(t *testing.T) {
	s := mustOpen(t)
	purchase := callEvent("dms-1", "312-555-0100", "Ivan", "Petrov", 0)
	purchase.Type, purchase.Vehicle = "purchase", &customer.Vehicle{Model: "ZOT 9", VIN: "1ZT9A2B34C5678901"}
	mustApply(t, s, 1, upsert(hubProfile("C-ivan", 1, purchase)))
	mustApply(t, s, 2, upsert(hubProfile("C-ivan", 2, callEvent("c-1", "312-555-0100", "Ivan", "Petrov", 0))))
	if found, _ := s.SearchVehicle("1ZT9A2B34C5678901"); len(found) != 0 {
		t.Errorf("after the change: found %q, want none", customerIDs(found))
	}
	mustApply(t, s, 3, upsert(hubProfile("C-ivan", 3, purchase)))
	if err := s.ApplyChanges(&protocol.Changes{Cursor: 4, Resync: true}); err != nil {
		t.Fatal(err)
	}
	if found, _ := s.SearchVehicle("1ZT9A2B34C5678901"); len(found) != 0 {
		t.Errorf("after a resync without Ivan: found %q, want none", customerIDs(found))
	}
}
