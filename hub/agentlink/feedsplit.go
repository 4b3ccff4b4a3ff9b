package agentlink

import (
	"errors"
	"fmt"
	"io"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// writeChanges sends a feed batch. A batch whose frame would exceed
// protocol.MaxFrameSize (long timelines) goes as several frames: every
// frame but the last keeps the agent's old cursor, so a break between
// them resends rather than skips. A single profile too big for a frame is
// sent with its newest events only (see trimTimeline).
func writeChanges(w io.Writer, from uint64, batch *protocol.Changes) error {
	err := protocol.WriteFrame(w, protocol.TypeChanges, batch)
	if !errors.Is(err, protocol.ErrFrameTooLarge) {
		return err
	}
	for i := range batch.Changes {
		part := protocol.Changes{Cursor: from, Changes: batch.Changes[i : i+1], Behind: batch.Behind}
		if i == len(batch.Changes)-1 {
			part.Cursor, part.Resync = batch.Cursor, batch.Resync
		}
		if err := writeOneChange(w, &part); err != nil {
			return err
		}
	}
	return nil
}

func writeOneChange(w io.Writer, part *protocol.Changes) error {
	for range 32 {
		err := protocol.WriteFrame(w, protocol.TypeChanges, part)
		if !errors.Is(err, protocol.ErrFrameTooLarge) || !trimTimeline(part.Changes[0].Profile) {
			return err
		}
	}
	return fmt.Errorf("write changes: profile %s does not fit a frame", part.Changes[0].CustomerID)
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
