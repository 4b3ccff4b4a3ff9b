package systemtest

import (
	"errors"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
)

// udpProxy relays datagrams between agents and one hub node on
// 127.0.0.1, and can drop all of them (a partition) or lose, duplicate
// and reorder some (a bad line) — netem in userspace.
type udpProxy struct {
	ln     *net.UDPConn
	target *net.UDPAddr

	mu       sync.Mutex
	upstream map[string]*net.UDPConn // by client address
	faults   proxyFaults
	rng      *rand.Rand
	held     *heldDatagram // one datagram held back, sent after the next
	stats    proxyStats
}

// proxyFaults are the fault rates of a proxy; Partitioned drops all.
type proxyFaults struct {
	Partitioned        bool
	Loss, Dup, Reorder float64
}

type heldDatagram struct {
	pkt  []byte
	send func([]byte)
}

type proxyStats struct{ relayed, dropped, duplicated, reordered int }

// maxDatagram bounds one relayed datagram (QUIC stays under 1500 here).
const maxDatagram = 64 << 10

func startProxy(t *testing.T, target string, seed uint64) *udpProxy {
	t.Helper()
	to, err := net.ResolveUDPAddr("udp", target)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	p := &udpProxy{ln: ln, target: to, upstream: map[string]*net.UDPConn{}, rng: newRand(seed, 99)}
	t.Cleanup(p.close)
	go p.relayFromClients()
	return p
}

func (p *udpProxy) addr() string { return p.ln.LocalAddr().String() }

func (p *udpProxy) set(f proxyFaults) {
	p.mu.Lock()
	p.faults = f
	p.mu.Unlock()
}

func (p *udpProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, up := range p.upstream {
		up.Close()
	}
}

// relayFromClients runs until the proxy is closed.
func (p *udpProxy) relayFromClients() {
	buf := make([]byte, maxDatagram)
	for {
		n, client, err := p.ln.ReadFromUDP(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue
		}
		up, err := p.upstreamFor(client)
		if err != nil {
			continue
		}
		p.deliver(buf[:n], func(b []byte) { _, _ = up.Write(b) })
	}
}

func (p *udpProxy) upstreamFor(client *net.UDPAddr) (*net.UDPConn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if up := p.upstream[client.String()]; up != nil {
		return up, nil
	}
	up, err := net.DialUDP("udp", nil, p.target)
	if err != nil {
		return nil, err
	}
	p.upstream[client.String()] = up
	go p.relayToClient(up, client)
	return up, nil
}

// relayToClient runs until the upstream socket is closed.
func (p *udpProxy) relayToClient(up *net.UDPConn, client *net.UDPAddr) {
	buf := make([]byte, maxDatagram)
	for {
		n, err := up.Read(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue // e.g. ICMP refused while the hub node is down
		}
		p.deliver(buf[:n], func(b []byte) { _, _ = p.ln.WriteToUDP(b, client) })
	}
}

// deliver applies the faults to one datagram and sends what survives.
// Datagrams of both directions share the one held-back slot; each is
// released in its own direction.
func (p *udpProxy) deliver(pkt []byte, send func([]byte)) {
	p.mu.Lock()
	f := p.faults
	drop := f.Partitioned || p.rng.Float64() < f.Loss
	dup := p.rng.Float64() < f.Dup
	hold := p.held == nil && p.rng.Float64() < f.Reorder
	var release *heldDatagram
	switch {
	case drop:
		p.stats.dropped++
	case hold:
		p.held = &heldDatagram{pkt: append([]byte(nil), pkt...), send: send}
		p.stats.reordered++
	default:
		release, p.held = p.held, nil
		p.stats.relayed++
		if dup {
			p.stats.duplicated++
		}
	}
	p.mu.Unlock()
	if drop || hold {
		return
	}
	send(pkt)
	if dup {
		send(pkt)
	}
	if release != nil {
		release.send(release.pkt)
	}
}

func (p *udpProxy) counts() proxyStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}
