package agentlink

import (
	"fmt"
	"io"

	"github.com/fxamacker/cbor/v2"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// feedFrameTarget is the size a feed frame is packed up to. Smaller than
// protocol.MaxFrameSize, so that the agent applies a long catch-up in
// steps while the hub encodes the next frame.
const feedFrameTarget = 1 << 20

// writeChanges sends a feed batch as frames of up to feedFrameTarget,
// each change encoded once. Every frame but the last keeps the agent's
// old cursor, so a break between them resends rather than skips; a
// resync goes with the first, so the agent drops its old scope before
// anything of the new one arrives. A single profile too big for a frame
// is sent with its newest events only (see trimTimeline).
func writeChanges(w io.Writer, from uint64, batch *protocol.Changes) error {
	frame := protocol.EncodedChanges{Cursor: from, Resync: batch.Resync, Behind: batch.Behind}
	size := protocol.ChangesOverhead
	for i := range batch.Changes {
		raw, err := encodeChange(&batch.Changes[i])
		if err != nil {
			return err
		}
		if len(frame.Changes) > 0 && size+len(raw) > feedFrameTarget {
			if err := protocol.WriteEncodedChanges(w, &frame); err != nil {
				return err
			}
			frame = protocol.EncodedChanges{Cursor: from, Behind: batch.Behind}
			size = protocol.ChangesOverhead
		}
		frame.Changes = append(frame.Changes, raw)
		size += len(raw)
	}
	frame.Cursor = batch.Cursor
	return protocol.WriteEncodedChanges(w, &frame)
}

// encodeChange encodes c, trimming its timeline until it fits a frame.
func encodeChange(c *protocol.Change) (cbor.RawMessage, error) {
	for range 32 {
		raw, err := protocol.EncodeChange(c)
		if err != nil {
			return nil, fmt.Errorf("encode change of %s: %w", c.CustomerID, err)
		}
		if len(raw)+protocol.ChangesOverhead <= protocol.MaxFrameSize {
			return raw, nil
		}
		if !trimTimeline(c.Profile) {
			break
		}
	}
	return nil, fmt.Errorf("write changes: profile %s does not fit a frame", c.CustomerID)
}

// trimTimeline keeps the newest half of a profile's events (the timeline
// is sorted oldest first); it reports false when there is nothing left to
// trim. The hub keeps every event; a lookup through the hub's HTTP API
// shows the whole timeline.
func trimTimeline(p *customer.Profile) bool {
	if p == nil || len(p.Events) < 2 {
		return false
	}
	p.Events = p.Events[len(p.Events)/2:]
	return true
}
