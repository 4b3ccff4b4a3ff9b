package systemtest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// An event recorded at a dealer while the hub is down is visible there at
// once, reaches the hub when it is back, and reaches every other dealer
// whose scope holds the customer; a web event reaches them too.
func TestSync_OfflineRecordReachesHubAndOtherDealers(t *testing.T) {
	c := StartCluster(t, 3)
	c.AddDealer("D-017", "606")
	c.AddDealer("D-104", "618")
	chicago, urbana := c.StartAgent("D-017"), c.StartAgent("D-104")

	for _, n := range c.Nodes {
		n.Kill()
	}
	visit := NewEvent("d017-offline-1", "dealer:D-017", "showroom_visit", "(217) 555-0199", time.Now())
	visit.Customer.GivenName, visit.Customer.FamilyName = "Misha", "Petrov"
	visit.Customer.Address = &customer.Address{City: "Urbana", PostalCode: "61801", Country: "US"}
	if got := chicago.Record(visit); got != "created" {
		t.Fatalf("record while hub down: %s", got)
	}
	found, err := chicago.Cached("phone", "217-555-0199")
	if err != nil || HasEvent(found, visit.ID) != nil {
		t.Fatalf("offline record not visible at once at D-017: %v %v", err, found)
	}
	if st := chicago.SyncStatus(); st.OutboxLen != 1 {
		t.Fatalf("outbox while hub down = %d, want 1", st.OutboxLen)
	}

	for _, n := range c.Nodes {
		n.MustStart(t)
	}
	Eventually(t, 60*time.Second, "offline event at the hub", func() error {
		found, err := Search(c.Nodes[2].URL(""), "phone", "+12175550199")
		if err != nil {
			return err
		}
		return HasEvent(found, visit.ID)
	})
	Eventually(t, 30*time.Second, "event at D-104 (market 618) through its feed", func() error {
		found, err := urbana.Cached("phone", "2175550199")
		if err != nil {
			return err
		}
		return HasEvent(found, visit.ID)
	})

	web := NewEvent("web-1", "web:zot.example", "configurator_saved", "+1 217 555 0199", time.Now())
	if got := c.PostEvents(c.Leader(), web); got[0] != "created" {
		t.Fatalf("web event: %v", got)
	}
	for _, a := range []*Agent{chicago, urbana} {
		Eventually(t, 30*time.Second, "web event at "+a.Dealer, func() error {
			found, err := a.Cached("phone", "217.555.0199")
			if err != nil {
				return err
			}
			return HasEvent(found, web.ID)
		})
	}
}

// Killing the Raft leader while an agent pushes loses no acknowledged
// event and stores none twice.
func TestSync_LeaderKilledDuringPushesLosesNothing(t *testing.T) {
	c := StartCluster(t, 3)
	c.AddDealer("D-017", "606")
	agent := c.StartAgent("D-017")

	const total, customers = 150, 15
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range total {
			phone := fmt.Sprintf("+1312555%04d", 100+i%customers)
			e := NewEvent(fmt.Sprintf("push-%03d", i), "dealer:D-017", "showroom_visit", phone, time.Now())
			if got := agent.Record(e); got != "created" {
				t.Errorf("record %s: %s", e.ID, got)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	time.Sleep(500 * time.Millisecond) // let the pushes get going
	leader := c.Leader()
	leader.Kill()
	time.Sleep(2 * time.Second)
	leader.MustStart(t)
	wg.Wait()

	Eventually(t, 90*time.Second, "outbox drained", func() error {
		if st := agent.SyncStatus(); st.OutboxLen != 0 {
			return fmt.Errorf("outbox %d", st.OutboxLen)
		}
		return nil
	})
	seen := map[string]int{}
	Eventually(t, 30*time.Second, "all events at every hub node", func() error {
		for _, n := range c.Nodes {
			clear(seen)
			for i := range customers {
				found, err := Search(n.URL(""), "phone", fmt.Sprintf("+1312555%04d", 100+i))
				if err != nil {
					return err
				}
				for _, p := range found {
					for _, e := range p.Events {
						seen[e.ID]++
					}
				}
			}
			if len(seen) != total {
				return fmt.Errorf("%s holds %d of %d events", n.ID, len(seen), total)
			}
		}
		return nil
	})
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s stored %d times", id, n)
		}
	}
}

// A restarted agent resumes the change feed from its durable cursor and
// gets what changed while it was down.
func TestSync_RestartedAgentResumesFromCursor(t *testing.T) {
	c := StartCluster(t, 3)
	c.AddDealer("D-017", "606")
	agent := c.StartAgent("D-017")

	first := NewEvent("web-a", "web:zot.example", "page_view", "+13125550001", time.Now())
	first.Customer.Address = &customer.Address{PostalCode: "60601"}
	c.PostEvents(c.Nodes[1], first)
	Eventually(t, 30*time.Second, "first event at the agent", func() error {
		found, err := agent.Cached("phone", "3125550001")
		if err != nil {
			return err
		}
		return HasEvent(found, first.ID)
	})
	before := agent.SyncStatus().Cursor

	agent.Kill()
	var later []customer.Event
	for i := range 5 {
		e := NewEvent(fmt.Sprintf("web-b%d", i), "web:zot.example", "page_view", fmt.Sprintf("+1312555%04d", 10+i), time.Now())
		e.Customer.Address = &customer.Address{PostalCode: "60622"}
		later = append(later, e)
	}
	c.PostEvents(c.Nodes[2], later...)
	agent.MustStart(t)

	for _, e := range later {
		Eventually(t, 30*time.Second, "event "+e.ID+" after restart", func() error {
			found, err := agent.Cached("phone", e.Customer.Phone)
			if err != nil {
				return err
			}
			return HasEvent(found, e.ID)
		})
	}
	if st := agent.SyncStatus(); st.Cursor <= before || st.Profiles != 6 {
		t.Fatalf("after restart: cursor %d (was %d), %d profiles; want a later cursor and 6 profiles", st.Cursor, before, st.Profiles)
	}
}

// The same event sent twice is stored once, at the hub and at the agent.
func TestSync_SameEventTwiceStoredOnce(t *testing.T) {
	c := StartCluster(t, 3)
	c.AddDealer("D-017", "606")
	agent := c.StartAgent("D-017")

	e := NewEvent("dup-1", "dealer:D-017", "test_drive", "+13125550777", time.Now())
	if a, b := agent.Record(e), agent.Record(e); a != "created" || b != "duplicate" {
		t.Fatalf("agent statuses %s, %s; want created, duplicate", a, b)
	}
	if got := c.PostEvents(c.Nodes[1], e); got[0] != "created" && got[0] != "duplicate" {
		t.Fatalf("hub status %v", got)
	}
	Eventually(t, 30*time.Second, "agent outbox drained", func() error {
		if st := agent.SyncStatus(); st.OutboxLen != 0 {
			return fmt.Errorf("outbox %d", st.OutboxLen)
		}
		return nil
	})
	if got := c.PostEvents(c.Nodes[2], e); got[0] != "duplicate" {
		t.Fatalf("second hub post: %v, want duplicate", got)
	}
	found, err := Search(c.Nodes[0].URL(""), "phone", "+13125550777")
	if err != nil || len(found) != 1 || len(found[0].Events) != 1 {
		t.Fatalf("hub holds %v (err %v); want one profile with one event", found, err)
	}
}
