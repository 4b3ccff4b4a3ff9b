// Package freeport hands out loopback ports for test and benchmark processes
// to listen on.
//
// Asking the kernel for port 0 and closing the listener is racy when several
// child processes start at once: the kernel may hand the same ephemeral port
// to the next caller, or to an outgoing connection, before the child binds
// it. Ports here come from below the ephemeral range, are checked free for
// both TCP and UDP, and are never handed out twice by one process.
package freeport

import (
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
)

// Ports below Linux's default ephemeral range (32768–60999), so the kernel
// never picks them for port-0 listeners or outgoing connections.
const (
	low  = 20000
	high = 32000
)

var (
	mu     sync.Mutex
	issued = map[int]bool{}
)

// TCP returns a free 127.0.0.1 address for a TCP listener.
func TCP() (string, error) { return pick() }

// UDP returns a free 127.0.0.1 address for a UDP listener.
func UDP() (string, error) { return pick() }

func pick() (string, error) {
	mu.Lock()
	defer mu.Unlock()
	for range 1000 {
		port := low + rand.IntN(high-low)
		if issued[port] {
			continue
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		if bindable(addr) {
			issued[port] = true
			return addr, nil
		}
	}
	return "", fmt.Errorf("freeport: no free port in %d–%d after 1000 tries", low, high)
}

// bindable reports whether both a TCP and a UDP listener can bind addr.
func bindable(addr string) bool {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return false
	}
	ln.Close()
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return false
	}
	pc.Close()
	return true
}
