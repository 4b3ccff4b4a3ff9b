package hublink

import (
	"context"

	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/protocol"
)

// probeLoop sends a liveness probe every protocol.ProbeInterval, so a hub
// node that restarted answers with a stateless reset within a second
// instead of the agent waiting out its idle timeout. A hub that does not
// take datagrams gets none. It returns when ctx ends.
func (l *Link) probeLoop(ctx context.Context, conn *quic.Conn) error {
	probe := make([]byte, protocol.ProbeSize)
	for conn.ConnectionState().SupportsDatagrams.Remote {
		pause(ctx, protocol.ProbeInterval)
		if ctx.Err() != nil {
			break
		}
		_ = conn.SendDatagram(probe) // best effort: a lost probe is the next one's job
	}
	<-ctx.Done()
	return ctx.Err()
}
