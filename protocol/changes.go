package protocol

import (
	"io"

	"github.com/fxamacker/cbor/v2"
)

// EncodedChanges is Changes with each change already encoded by
// EncodeChange; it encodes exactly as Changes does. The hub uses it to
// pack a batch too big for one frame into several without encoding any
// change twice.
type EncodedChanges struct {
	Cursor  uint64            `cbor:"1,keyasint"`
	Changes []cbor.RawMessage `cbor:"2,keyasint"`
	Resync  bool              `cbor:"3,keyasint,omitempty"`
	Behind  uint64            `cbor:"4,keyasint,omitempty"`
}

// ChangesOverhead bounds what an EncodedChanges frame adds to its encoded
// changes: the frame header, the map and the fields other than Changes.
const ChangesOverhead = 64

// EncodeChange encodes one change for EncodedChanges.
func EncodeChange(c *Change) (cbor.RawMessage, error) { return Marshal(c) }

// WriteEncodedChanges writes batch as one TypeChanges frame, which the
// reader decodes as Changes.
func WriteEncodedChanges(w io.Writer, batch *EncodedChanges) error {
	return writeFrame(w, TypeChanges, batch)
}
