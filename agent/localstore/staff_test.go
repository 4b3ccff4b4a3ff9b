package localstore

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// An account is found by name and by its API token's hash, a username is
// taken once, and a removed account is gone with its token.
func TestStaff_AddFindListRemove(t *testing.T) {
	s := mustOpen(t)
	maria := StaffAccount{Username: "m.jones", Name: "Maria Jones", PasswordHash: []byte("bcrypt"), TokenHash: []byte{1, 2, 3}}
	if err := s.AddStaff(maria); err != nil {
		t.Fatal(err)
	}
	if err := s.AddStaff(StaffAccount{Username: "a.lee", Name: "Al Lee"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddStaff(maria); !errors.Is(err, ErrExists) {
		t.Errorf("adding m.jones twice: %v, want ErrExists", err)
	}
	if a, err := s.StaffByToken([]byte{1, 2, 3}); err != nil || a.Name != "Maria Jones" {
		t.Errorf("StaffByToken = %+v, %v; want Maria", a, err)
	}
	list, err := s.ListStaff()
	var names []string
	for _, a := range list {
		names = append(names, a.Username)
	}
	if err != nil || !slices.Equal(names, []string{"a.lee", "m.jones"}) {
		t.Errorf("ListStaff = %q, %v; want a.lee, m.jones", names, err)
	}
	if err := s.RemoveStaff("m.jones"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Staff("m.jones"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Staff after remove: %v, want ErrNotFound", err)
	}
	if _, err := s.StaffByToken([]byte{1, 2, 3}); !errors.Is(err, ErrNotFound) {
		t.Errorf("StaffByToken after remove: %v, want ErrNotFound", err)
	}
	if err := s.RemoveStaff("m.jones"); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing twice: %v, want ErrNotFound", err)
	}
}

// A session is found until it expires or is deleted.
func TestSession_FoundUntilExpiredOrDeleted(t *testing.T) {
	s := mustOpen(t)
	live := Session{Username: "m.jones", CSRF: "c", Expires: time.Now().Add(time.Hour).Unix()}
	if err := s.PutSession([]byte("live"), live); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Session([]byte("live")); err != nil || got != live {
		t.Errorf("Session = %+v, %v; want %+v", got, err, live)
	}
	if err := s.PutSession([]byte("old"), Session{Username: "x", Expires: time.Now().Add(-time.Second).Unix()}); err == nil {
		t.Errorf("storing an expired session succeeded")
	}
	if err := s.DeleteSession([]byte("live")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session([]byte("live")); !errors.Is(err, ErrNotFound) {
		t.Errorf("Session after delete: %v, want ErrNotFound", err)
	}
}

// The audit log lists who saw which customer, newest first, filtered.
func TestAudit_NewestFirstAndFiltered(t *testing.T) {
	s := mustOpen(t)
	base := time.Now().UnixNano()
	err := s.Audit(
		AuditEntry{At: base, Staff: "m.jones", CustomerID: "C-anna", Action: "view", Via: "page"},
		AuditEntry{At: base + 1, Staff: "admin", CustomerID: "C-ivan", Action: "search", Via: "api"},
		AuditEntry{At: base + 2, Staff: "m.jones", CustomerID: "C-ivan", Action: "view", Via: "page"},
	)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		f    AuditFilter
		want []int64
	}{
		{AuditFilter{}, []int64{base + 2, base + 1, base}},
		{AuditFilter{CustomerID: "C-ivan"}, []int64{base + 2, base + 1}},
		{AuditFilter{Staff: "m.jones", Limit: 1}, []int64{base + 2}},
		{AuditFilter{CustomerID: "C-nobody"}, nil},
	}
	for _, tt := range tests {
		got, err := s.AuditLog(tt.f)
		var at []int64
		for _, e := range got {
			at = append(at, e.At)
		}
		if err != nil || !slices.Equal(at, tt.want) {
			t.Errorf("AuditLog(%+v) = %v, %v; want %v", tt.f, at, err, tt.want)
		}
	}
}

// The up-log lists the day's visits in the order they happened.
func TestUpLog_ListsTheDaysVisitsInOrder(t *testing.T) {
	s := mustOpen(t)
	y, m, d := time.Now().Date()
	today := time.Date(y, m, d, 12, 0, 0, 0, time.Local) // no midnight in between
	later := dealerEvent("d017-v-2", "showroom_visit", "312-555-0142", 0)
	later.OccurredAt = today
	earlier := dealerEvent("d017-td-1", "test_drive", "312-555-0100", 0)
	earlier.OccurredAt = today.Add(-time.Minute)
	yesterday := dealerEvent("d017-v-0", "showroom_visit", "312-555-0100", 0)
	yesterday.OccurredAt = today.AddDate(0, 0, -1)
	for _, e := range []customer.Event{later, earlier, yesterday} {
		if err := s.LogVisit(e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Visits(today)
	var ids []string
	for _, e := range got {
		ids = append(ids, e.ID)
	}
	if err != nil || !slices.Equal(ids, []string{"d017-td-1", "d017-v-2"}) {
		t.Errorf("Visits(today) = %q, %v; want d017-td-1, d017-v-2", ids, err)
	}
}
