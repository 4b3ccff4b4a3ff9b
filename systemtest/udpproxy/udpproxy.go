// Package udpproxy relays datagrams between agents and one hub node on
// 127.0.0.1, and can drop all of them (a partition) or lose, duplicate
// and reorder some (a bad line): netem in userspace, for the system tests.
package udpproxy

import (
	"errors"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
)

// Proxy relays datagrams between clients and one target address, with
// the faults set on it.
type Proxy struct {
	ln     *net.UDPConn
	target *net.UDPAddr

	mu       sync.Mutex
	upstream map[string]*net.UDPConn // by client address
	faults   Faults
	rng      *rand.Rand
	held     *heldDatagram // one datagram held back, sent after the next
	stats    Stats
}

// Faults are the fault rates of a proxy, each a probability per
// datagram; Partitioned drops all.
type Faults struct {
	Partitioned        bool
	Loss, Dup, Reorder float64
}

type heldDatagram struct {
	pkt  []byte
	send func([]byte)
}

// Stats counts what a proxy did with the datagrams it got.
type Stats struct{ Relayed, Dropped, Duplicated, Reordered int }

// maxDatagram bounds one relayed datagram (QUIC stays under 1500 here).
const maxDatagram = 64 << 10

// Start relays from a free 127.0.0.1 port to target until the test ends;
// seed makes its faults repeatable.
func Start(t testing.TB, target string, seed uint64) *Proxy {
	t.Helper()
	to, err := net.ResolveUDPAddr("udp", target)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, target: to, upstream: map[string]*net.UDPConn{}, rng: rand.New(rand.NewPCG(seed, 99))}
	t.Cleanup(p.close)
	go p.relayFromClients()
	return p
}

// Addr is the address clients send to.
func (p *Proxy) Addr() string { return p.ln.LocalAddr().String() }

// Set changes the faults from the next datagram on.
func (p *Proxy) Set(f Faults) {
	p.mu.Lock()
	p.faults = f
	p.mu.Unlock()
}

func (p *Proxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, up := range p.upstream {
		up.Close()
	}
}

// relayFromClients runs until the proxy is closed.
func (p *Proxy) relayFromClients() {
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

func (p *Proxy) upstreamFor(client *net.UDPAddr) (*net.UDPConn, error) {
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
func (p *Proxy) relayToClient(up *net.UDPConn, client *net.UDPAddr) {
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
func (p *Proxy) deliver(pkt []byte, send func([]byte)) {
	p.mu.Lock()
	f := p.faults
	drop := f.Partitioned || p.rng.Float64() < f.Loss
	dup := p.rng.Float64() < f.Dup
	hold := p.held == nil && p.rng.Float64() < f.Reorder
	var release *heldDatagram
	switch {
	case drop:
		p.stats.Dropped++
	case hold:
		p.held = &heldDatagram{pkt: append([]byte(nil), pkt...), send: send}
		p.stats.Reordered++
	default:
		release, p.held = p.held, nil
		p.stats.Relayed++
		if dup {
			p.stats.Duplicated++
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

// Counts says what the proxy did so far.
func (p *Proxy) Counts() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}
