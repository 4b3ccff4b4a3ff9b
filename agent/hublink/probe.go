package hublink

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/protocol"
)

// errLinkStalled ends a session whose connection stopped carrying anything
// although it is still open (see protocol.ProbeStall).
var errLinkStalled = errors.New("connection stalled")

// probeLoop sends a liveness probe every protocol.ProbeInterval, so a hub
// node that restarted answers with a stateless reset within a second
// instead of the agent waiting out its idle timeout. Once the hub has
// answered a probe, it ends the session when the answers stop for
// protocol.ProbeStall. A hub that does not take datagrams gets none. It
// returns when ctx ends.
func (l *Link) probeLoop(ctx context.Context, conn *quic.Conn) error {
	if !conn.ConnectionState().SupportsDatagrams.Remote {
		<-ctx.Done()
		return ctx.Err()
	}
	var echoes probeEchoes
	go echoes.receive(ctx, conn)
	probe := make([]byte, protocol.ProbeSize)
	for {
		pause(ctx, protocol.ProbeInterval)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if silent, ok := echoes.silentFor(); ok && silent > protocol.ProbeStall {
			return fmt.Errorf("%w: no answer to liveness probes for %s", errLinkStalled, silent.Round(100*time.Millisecond))
		}
		_ = conn.SendDatagram(probe) // best effort: a lost probe is the next one's job
	}
}

// probeEchoes remembers when the hub last sent a probe back.
type probeEchoes struct {
	last atomic.Int64 // monotonic nanoseconds since start; 0: none yet
}

var monoStart = time.Now()

func (e *probeEchoes) receive(ctx context.Context, conn *quic.Conn) {
	for {
		if _, err := conn.ReceiveDatagram(ctx); err != nil {
			return
		}
		e.last.Store(int64(time.Since(monoStart)) | 1)
	}
}

// silentFor returns how long ago the last echo came, and false before the
// first one.
func (e *probeEchoes) silentFor() (time.Duration, bool) {
	last := e.last.Load()
	if last == 0 {
		return 0, false
	}
	return time.Since(monoStart) - time.Duration(last), true
}
