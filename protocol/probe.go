package protocol

import "time"

// Liveness probes. A hub node back from kill -9 answers packets of its
// previous life with a QUIC stateless reset, but only packets bigger than
// a reset, and QUIC keep-alives are smaller. An agent that only waits for
// an answer (an ack, a feed frame) would learn of the restart at its idle
// timeout. So both sides enable QUIC datagrams (RFC 9221), the agent sends
// a ProbeSize-byte datagram every ProbeInterval, and the hub discards it.
const (
	ProbeSize     = 64
	ProbeInterval = time.Second
)
