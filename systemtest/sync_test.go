package systemtest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

func event(id, source, typ, phone string, at time.Time) customer.Event {
	channel := map[string]string{"dealer": "showroom", "web": "web", "phone": "phone"}
	kind := source[:len(source)-len(source[indexColon(source):])]
	return customer.Event{
		ID: id, Source: source, Type: typ, Channel: channel[kind], OccurredAt: at.UTC().Truncate(time.Second),
		Customer: customer.Hints{Phone: phone},
	}
}

func indexColon(s string) int {
	for i, r := range s {
		if r == ':' {
			return i
		}
	}
	return len(s)
}

// An event recorded at a dealer while the hub is down is visible there at
// once, reaches the hub when it is back, and reaches every other dealer
// whose scope holds the customer; a web event reaches them too.
func TestSync_OfflineRecordReachesHubAndOtherDealers(t *testing.T) {
	c := startCluster(t, 3)
	c.addDealer("D-017", "606")
	c.addDealer("D-104", "618")
	chicago, urbana := c.startAgent("D-017"), c.startAgent("D-104")

	for _, n := range c.nodes {
		n.kill()
	}
	visit := event("d017-offline-1", "dealer:D-017", "showroom_visit", "(217) 555-0199", time.Now())
	visit.Customer.GivenName, visit.Customer.FamilyName = "Misha", "Petrov"
	visit.Customer.Address = &customer.Address{City: "Urbana", PostalCode: "61801", Country: "US"}
	if got := chicago.record(visit); got != "created" {
		t.Fatalf("record while hub down: %s", got)
	}
	found, err := chicago.cached("phone", "217-555-0199")
	if err != nil || hasEvent(found, visit.ID) != nil {
		t.Fatalf("offline record not visible at once at D-017: %v %v", err, found)
	}
	if st := chicago.syncStatus(); st.OutboxLen != 1 {
		t.Fatalf("outbox while hub down = %d, want 1", st.OutboxLen)
	}

	for _, n := range c.nodes {
		n.start()
	}
	eventually(t, 60*time.Second, "offline event at the hub", func() error {
		found, err := search(c.nodes[2].url(""), "phone", "+12175550199")
		if err != nil {
			return err
		}
		return hasEvent(found, visit.ID)
	})
	eventually(t, 30*time.Second, "event at D-104 (market 618) through its feed", func() error {
		found, err := urbana.cached("phone", "2175550199")
		if err != nil {
			return err
		}
		return hasEvent(found, visit.ID)
	})

	web := event("web-1", "web:zot.example", "configurator_saved", "+1 217 555 0199", time.Now())
	if got := c.postEvents(c.leader(), web); got[0] != "created" {
		t.Fatalf("web event: %v", got)
	}
	for _, a := range []*agentProc{chicago, urbana} {
		eventually(t, 30*time.Second, "web event at "+a.dealer, func() error {
			found, err := a.cached("phone", "217.555.0199")
			if err != nil {
				return err
			}
			return hasEvent(found, web.ID)
		})
	}
}

// Killing the Raft leader while an agent pushes loses no acknowledged
// event and stores none twice.
func TestSync_LeaderKilledDuringPushesLosesNothing(t *testing.T) {
	c := startCluster(t, 3)
	c.addDealer("D-017", "606")
	agent := c.startAgent("D-017")

	const total, customers = 150, 15
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range total {
			phone := fmt.Sprintf("+1312555%04d", 100+i%customers)
			e := event(fmt.Sprintf("push-%03d", i), "dealer:D-017", "showroom_visit", phone, time.Now())
			if got := agent.record(e); got != "created" {
				t.Errorf("record %s: %s", e.ID, got)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	time.Sleep(500 * time.Millisecond) // let the pushes get going
	leader := c.leader()
	leader.kill()
	time.Sleep(2 * time.Second)
	leader.start()
	wg.Wait()

	eventually(t, 90*time.Second, "outbox drained", func() error {
		if st := agent.syncStatus(); st.OutboxLen != 0 {
			return fmt.Errorf("outbox %d", st.OutboxLen)
		}
		return nil
	})
	seen := map[string]int{}
	eventually(t, 30*time.Second, "all events at every hub node", func() error {
		for _, n := range c.nodes {
			clear(seen)
			for i := range customers {
				found, err := search(n.url(""), "phone", fmt.Sprintf("+1312555%04d", 100+i))
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
				return fmt.Errorf("%s holds %d of %d events", n.id, len(seen), total)
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
	c := startCluster(t, 3)
	c.addDealer("D-017", "606")
	agent := c.startAgent("D-017")

	first := event("web-a", "web:zot.example", "page_view", "+13125550001", time.Now())
	first.Customer.Address = &customer.Address{PostalCode: "60601"}
	c.postEvents(c.nodes[1], first)
	eventually(t, 30*time.Second, "first event at the agent", func() error {
		found, err := agent.cached("phone", "3125550001")
		if err != nil {
			return err
		}
		return hasEvent(found, first.ID)
	})
	before := agent.syncStatus().Cursor

	agent.kill()
	var later []customer.Event
	for i := range 5 {
		e := event(fmt.Sprintf("web-b%d", i), "web:zot.example", "page_view", fmt.Sprintf("+1312555%04d", 10+i), time.Now())
		e.Customer.Address = &customer.Address{PostalCode: "60622"}
		later = append(later, e)
	}
	c.postEvents(c.nodes[2], later...)
	agent.start()

	for _, e := range later {
		eventually(t, 30*time.Second, "event "+e.ID+" after restart", func() error {
			found, err := agent.cached("phone", e.Customer.Phone)
			if err != nil {
				return err
			}
			return hasEvent(found, e.ID)
		})
	}
	if st := agent.syncStatus(); st.Cursor <= before || st.Profiles != 6 {
		t.Fatalf("after restart: cursor %d (was %d), %d profiles; want a later cursor and 6 profiles", st.Cursor, before, st.Profiles)
	}
}

// The same event sent twice is stored once, at the hub and at the agent.
func TestSync_SameEventTwiceStoredOnce(t *testing.T) {
	c := startCluster(t, 3)
	c.addDealer("D-017", "606")
	agent := c.startAgent("D-017")

	e := event("dup-1", "dealer:D-017", "test_drive", "+13125550777", time.Now())
	if a, b := agent.record(e), agent.record(e); a != "created" || b != "duplicate" {
		t.Fatalf("agent statuses %s, %s; want created, duplicate", a, b)
	}
	if got := c.postEvents(c.nodes[1], e); got[0] != "created" && got[0] != "duplicate" {
		t.Fatalf("hub status %v", got)
	}
	eventually(t, 30*time.Second, "agent outbox drained", func() error {
		if st := agent.syncStatus(); st.OutboxLen != 0 {
			return fmt.Errorf("outbox %d", st.OutboxLen)
		}
		return nil
	})
	if got := c.postEvents(c.nodes[2], e); got[0] != "duplicate" {
		t.Fatalf("second hub post: %v, want duplicate", got)
	}
	found, err := search(c.nodes[0].url(""), "phone", "+13125550777")
	if err != nil || len(found) != 1 || len(found[0].Events) != 1 {
		t.Fatalf("hub holds %v (err %v); want one profile with one event", found, err)
	}
}
