package chaos

import (
	"fmt"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/systemtest/udpproxy"
)

// chaosLossyLine puts a userspace UDP proxy between an agent and every
// hub node that loses, duplicates and reorders datagrams; QUIC must carry
// every push and change through it, each once.
func chaosLossyLine(t *testing.T, size chaosSize, seed uint64) chaosRow {
	r := newChaosRig(t, size, seed)
	faults := udpproxy.Faults{Loss: 0.05, Dup: 0.05, Reorder: 0.05}
	var proxies []*udpproxy.Proxy
	var addrs []string
	for i, n := range r.c.Nodes {
		p := udpproxy.Start(t, n.Agent, seed+uint64(90+i))
		p.Set(faults)
		proxies, addrs = append(proxies, p), append(addrs, p.Addr())
	}
	a := r.addAgent("Q-1", addrs...)
	const customers = 40
	w := newWorkload(r.h, 5*time.Millisecond)
	w.recordAt(a, customers, size.proxyEvents, 5, newRand(seed, 95))
	w.postAtHub(r.c, customers, size.proxyEvents/2, 5, newRand(seed, 96))
	w.finish()
	v, conv := r.converge(time.Now())
	var st udpproxy.Stats
	for _, p := range proxies {
		c := p.Counts()
		st.Relayed, st.Dropped, st.Duplicated, st.Reordered = st.Relayed+c.Relayed, st.Dropped+c.Dropped, st.Duplicated+c.Duplicated, st.Reordered+c.Reordered
	}
	return chaosRow{cycles: 1, v: v, converge: conv,
		note: fmt.Sprintf("datagrams: %d relayed, %d lost, %d duplicated, %d reordered", st.Relayed, st.Dropped, st.Duplicated, st.Reordered)}
}
