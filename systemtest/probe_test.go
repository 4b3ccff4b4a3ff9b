package systemtest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A hub node back from kill -9 resets its old agent connections at the
// agent's next packet: the agent hears a stateless reset instead of
// waiting out its 6 s idle timeout. The node stays down for longer than
// a keep-alive period, as a killed node does. (QUIC's own retransmissions
// of an unanswered keep-alive draw a reset too, but back off
// exponentially; the agent's probes bound the wait to a second.)
func TestSync_RestartedNodeResetsAnIdleAgent(t *testing.T) {
	c := startCluster(t, 1)
	c.addDealer("D-017", "606")
	agent := c.startAgent("D-017")
	node := c.nodes[0]

	killed := time.Now()
	node.kill()
	time.Sleep(2500 * time.Millisecond) // a node that is down: not a condition to wait for
	node.start()
	c.waitReady(node, 1)
	if took := time.Since(killed); took > 5*time.Second {
		t.Skipf("the node was back after %s, close to the agent's idle timeout: a reset cannot be told from a timeout", took)
	}
	eventually(t, 30*time.Second, "the agent told of the restart", func() error {
		if !strings.Contains(readLog(agent.proc), "stateless reset") {
			return fmt.Errorf("no reset in the agent's log; it says: %s", lastLineWith(readLog(agent.proc), "hub connection ended"))
		}
		return nil
	})
}
