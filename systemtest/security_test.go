package systemtest

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// A request without a valid operator token is refused and changes nothing.
func TestSecurity_ForgedOperatorTokenIsRefused(t *testing.T) {
	c := StartCluster(t, 1)
	node := c.Nodes[0]
	e := NewEvent("forged-1", "web:zot.example", "page_view", "+13125550150", time.Now())
	SetToken(node.HTTP, "tpo_forged")
	err := Call("POST", node.URL("/v1/events"), e, nil)
	SetToken(node.HTTP, c.Token)
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("forged token: %v, want 401", err)
	}
	if found, _ := Search(node.URL(""), "phone", "+13125550150"); len(found) != 0 {
		t.Fatalf("a refused request stored %v", found)
	}
}

// A channel key posts only its own source.
func TestSecurity_ChannelKeyPostsOnlyItsSource(t *testing.T) {
	c := StartCluster(t, 1)
	node := c.Nodes[0]
	key := strings.TrimSpace(Run(t, "touchpoint-hub", "key", "create", "--source", "web:zot.example", "--addr", node.HTTP))
	SetToken(node.HTTP, key)
	defer SetToken(node.HTTP, c.Token)
	own := NewEvent("k-1", "web:zot.example", "page_view", "+13125550151", time.Now())
	other := NewEvent("k-2", "phone:tollfree", "call_inbound", "+13125550151", time.Now())
	var out struct {
		Results []struct{ Status, Field string }
	}
	if err := Call("POST", node.URL("/v1/events"), map[string]any{"events": []customer.Event{own, other}}, &out); err != nil {
		t.Fatal(err)
	}
	if out.Results[0].Status != "created" || out.Results[1].Status != "rejected" || out.Results[1].Field != "source" {
		t.Fatalf("results %+v, want created then rejected on source", out.Results)
	}
	if err := Call("GET", node.URL("/v1/customers?phone=3125550151"), nil, nil); err == nil {
		t.Fatal("a key without --read read profiles")
	}
}

// Erasing a person removes them at the hub, and at an agent that was
// offline during the erasure once it reconnects; the agent's data
// directory holds no trace of them in clear, and a late event from an old
// outbox cannot bring them back.
func TestSecurity_ErasureReachesOfflineAgent(t *testing.T) {
	c := StartCluster(t, 3)
	c.AddDealer("D-017", "606")
	agent := c.StartAgent("D-017")
	visit := NewEvent("erase-v1", "dealer:D-017", "test_drive", "(312) 555-0177", time.Now())
	visit.Customer.GivenName, visit.Customer.FamilyName, visit.Customer.Email = "Zdenka", "Quillfeather", "zdenka.q@example.org"
	visit.Note = "Wants the Touring trim"
	agent.Record(visit)
	var id string
	Eventually(t, 30*time.Second, "visit at the hub and back at the agent", func() error {
		found, err := agent.Cached("phone", "3125550177")
		if err != nil || len(found) != 1 || found[0].Provisional {
			return fmt.Errorf("cached %v, err %v", found, err)
		}
		id = found[0].CustomerID
		return nil
	})

	agent.Kill()
	Run(t, "touchpoint-hub", "erase", id, "--addr", c.Nodes[1].HTTP)
	if found, _ := Search(c.Nodes[2].URL(""), "phone", "3125550177"); len(found) != 0 {
		t.Fatalf("hub still has the erased person: %v", found)
	}
	status := Run(t, "touchpoint-hub", "erase", "status", "--json", "--addr", c.Nodes[0].HTTP)
	if !strings.Contains(status, `"pending_agents": [`) || strings.Contains(status, `"pending_agents": []`) {
		t.Fatalf("erase status does not show the offline agent as pending:\n%s", status)
	}
	agent.MustStart(t)
	Eventually(t, 30*time.Second, "erasure applied at the agent", func() error {
		found, err := agent.Cached("phone", "3125550177")
		if err != nil || len(found) != 0 {
			return fmt.Errorf("agent still shows %d profiles (err %v)", len(found), err)
		}
		return nil
	})
	late := visit
	late.ID = "erase-v2"
	if got := c.PostEvents(c.Nodes[0], late); got[0] != "rejected" {
		t.Fatalf("late event for an erased person: %s, want rejected", got[0])
	}
	agent.Stop()
	scanForPII(t, agent.Dir, "Quillfeather", "zdenka.q@example.org", "3125550177", "Touring trim")
}

// scanForPII fails if any file under dir holds one of the strings.
func scanForPII(t *testing.T, dir string, needles ...string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, n := range needles {
			if bytes.Contains(data, []byte(n)) {
				t.Errorf("%s holds %q in clear", path, n)
			}
		}
		return nil
	})
	if err != nil || files == 0 {
		t.Fatalf("scan %s: %v (%d files)", dir, err, files)
	}
}

// The agent's data directory never holds a customer's data in clear: the
// database is encrypted with a key kept outside it.
func TestSecurity_AgentDataEncryptedAtRest(t *testing.T) {
	c := StartCluster(t, 1)
	c.AddDealer("D-017", "606")
	agent := c.StartAgent("D-017")
	visit := NewEvent("pii-1", "dealer:D-017", "showroom_visit", "+1 312 555 0166", time.Now())
	visit.Customer.GivenName, visit.Customer.FamilyName = "Barnabas", "Oakenshield"
	visit.Customer.Email = "barnabas.o@example.org"
	agent.Record(visit)
	Eventually(t, 30*time.Second, "synced", func() error {
		if st := agent.SyncStatus(); st.OutboxLen != 0 || st.Profiles == 0 {
			return fmt.Errorf("outbox %d, profiles %d", st.OutboxLen, st.Profiles)
		}
		return nil
	})
	agent.Stop()
	scanForPII(t, agent.Dir, "Oakenshield", "barnabas.o@example.org", "3125550166")
	if _, err := os.Stat(agent.Dir + ".key"); err != nil {
		t.Fatalf("encryption key not beside the data directory: %v", err)
	}
}
