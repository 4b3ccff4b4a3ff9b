package protocol

import (
	"bytes"

	"github.com/fxamacker/cbor/v2"
)

// Decoder limits. A batch holds at most MaxBatch items, so a legitimate
// message never comes near them.
const (
	maxNestedLevels  = 16
	maxArrayElements = 4096
	maxMapPairs      = 4096
)

// encMode encodes deterministically: map keys are sorted, integers and
// lengths use their shortest form, and times are RFC 3339 text in UTC with
// nanoseconds, so equal values always give equal bytes.
var encMode = mustEncMode()

// decMode decodes untrusted input. Unknown fields are ignored so that
// newer peers can add fields.
var decMode = mustDecMode()

func mustEncMode() cbor.UserBufferEncMode {
	opts := cbor.CoreDetEncOptions()
	opts.Time = cbor.TimeRFC3339NanoUTC
	opts.TagsMd = cbor.TagsForbidden
	em, err := opts.UserBufferEncMode()
	if err != nil {
		panic("protocol: cbor encode options: " + err.Error())
	}
	return em
}

func mustDecMode() cbor.DecMode {
	opts := cbor.DecOptions{
		DupMapKey:        cbor.DupMapKeyEnforcedAPF,
		MaxNestedLevels:  maxNestedLevels,
		MaxArrayElements: maxArrayElements,
		MaxMapPairs:      maxMapPairs,
		IndefLength:      cbor.IndefLengthForbidden,
		TagsMd:           cbor.TagsForbidden,
		UTF8:             cbor.UTF8RejectInvalid,
		// ExtraReturnErrors stays ExtraDecErrorNone: unknown fields are
		// ignored for forward compatibility.
	}
	dm, err := opts.DecMode()
	if err != nil {
		panic("protocol: cbor decode options: " + err.Error())
	}
	return dm
}

// Marshal encodes v with the protocol's deterministic CBOR encoding. The
// hub also uses it for Raft log entries and stored values.
func Marshal(v any) ([]byte, error) { return encMode.Marshal(v) }

// Unmarshal decodes one CBOR data item from data into v, which must be a
// non-nil pointer, applying the limits for untrusted input. Trailing bytes
// are an error.
func Unmarshal(data []byte, v any) error { return decMode.Unmarshal(data, v) }

// marshalTo appends the encoding of v to buf.
func marshalTo(buf *bytes.Buffer, v any) error { return encMode.MarshalToBuffer(v, buf) }
