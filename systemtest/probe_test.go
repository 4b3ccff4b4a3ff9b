package systemtest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/protocol"
	"github.com/touchpoint/touchpoint/systemtest/udpproxy"
)

// A hub node back from kill -9 resets its old agent connections at the
// agent's next packet: the agent hears a stateless reset instead of
// waiting out its 6 s idle timeout. The node stays down for longer than
// a keep-alive period, as a killed node does. (QUIC's own retransmissions
// of an unanswered keep-alive draw a reset too, but back off
// exponentially; the agent's probes bound the wait to a second.)
func TestSync_RestartedNodeResetsAnIdleAgent(t *testing.T) {
	c := StartCluster(t, 1)
	c.AddDealer("D-017", "606")
	agent := c.StartAgent("D-017")
	node := c.Nodes[0]

	killed := time.Now()
	node.Kill()
	time.Sleep(2500 * time.Millisecond) // a node that is down: not a condition to wait for
	node.MustStart(t)
	c.WaitReady(node, 1)
	if took := time.Since(killed); took > 5*time.Second {
		t.Skipf("the node was back after %s, close to the agent's idle timeout: a reset cannot be told from a timeout", took)
	}
	Eventually(t, 30*time.Second, "the agent told of the restart", func() error {
		if !strings.Contains(agent.ReadLog(), "stateless reset") {
			return fmt.Errorf("no reset in the agent's log; it says: %s", agent.LastLogLine("hub connection ended"))
		}
		return nil
	})
}

// An agent whose liveness probes stop coming back replaces its
// connection after protocol.ProbeStall (3 s), before QUIC's 6 s idle
// timeout, and reconnects once the path is back. After many short outages
// a connection can stall like this with the path up: QUIC's retransmission
// timer has backed off, and a new connection starts without that.
func TestSync_StalledConnectionIsReplaced(t *testing.T) {
	c := StartCluster(t, 1)
	c.AddDealer("D-018", "607")
	proxy := udpproxy.Start(t, c.Nodes[0].Agent, 1)
	agent := c.StartPinnedAgent("D-018", []string{proxy.Addr()})
	// The first probe goes out a second after connecting and must be
	// answered before the agent holds the hub to it: a time to let pass.
	time.Sleep(2 * protocol.ProbeInterval)

	proxy.Set(udpproxy.Faults{Partitioned: true})
	Eventually(t, 30*time.Second, "the agent ended the stalled connection", func() error {
		ended := agent.LastLogLine("hub connection ended")
		if ended == "" {
			return fmt.Errorf("the connection has not ended")
		}
		if !strings.Contains(ended, "connection stalled") {
			t.Fatalf("the connection ended otherwise: %s", ended)
		}
		return nil
	})
	proxy.Set(udpproxy.Faults{})
	Eventually(t, 30*time.Second, "the agent connected again", func() error {
		if st := agent.SyncStatus(); !st.Hub.Connected {
			return fmt.Errorf("not connected: %s", st.Hub.LastError)
		}
		return nil
	})
}
