package protocol

import "time"

// Liveness probes. A hub node back from kill -9 answers packets of its
// previous life with a QUIC stateless reset, but only packets bigger than
// a reset, and QUIC keep-alives are smaller. An agent that only waits for
// an answer (an ack, a feed frame) would learn of the restart at its idle
// timeout. So both sides enable QUIC datagrams (RFC 9221), and the agent
// sends a ProbeSize-byte datagram every ProbeInterval.
//
// The hub sends each probe back. A connection that went through many
// short outages can stall after the path is back: QUIC's retransmission
// timer doubles with every outage, and the lost data fills the congestion
// window, so nothing new is sent until the timer fires, which may be tens
// of seconds later. An agent whose probes were answered before but have
// gone unanswered for ProbeStall replaces the connection; a new one starts
// with fresh timers. A hub that never answers (an older one) is not held
// to it.
const (
	ProbeSize     = 64
	ProbeInterval = time.Second
	ProbeStall    = 3 * ProbeInterval
)
