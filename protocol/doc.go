// Package protocol is the wire protocol between a dealer's agent and the
// hub. It reads and writes frames over any io.Reader and io.Writer: QUIC
// streams in production, net.Pipe in tests. It knows nothing of QUIC or of
// storage.
//
// # Framing
//
// A frame is a 4-byte big-endian length N followed by N bytes: one type
// byte (see Type) and a CBOR body. N is at least 1 and at most
// MaxFrameSize; a reader refuses a larger N before allocating anything, and
// grows its buffer as the body arrives, so a peer that announces a large
// frame and stalls holds little memory. Each frame is written with a single
// Write call, but a stream has exactly one writer: frames are not meant to
// be multiplexed onto a stream by several goroutines.
//
// # Streams
//
// The agent opens every stream and starts it with its kind, written by
// WriteStreamKind: one length byte and the ASCII name, one of StreamControl,
// StreamPush, StreamFeed or StreamLookup. A stream per concern keeps a long
// catch-up on the feed from blocking a lookup. The first stream of a
// connection is the control stream; after its kind the agent sends Hello
// and the hub answers Welcome or Error (ClientHandshake, ReadHello).
// Besides streams, the agent sends liveness probes as QUIC datagrams,
// which the hub discards (see ProbeSize).
//
// # Versions
//
// Hello carries the range of protocol versions the agent speaks; the hub
// picks the highest version both sides speak (Negotiate) and names it in
// Welcome, or answers an Error with CodeVersion saying which side to
// upgrade. The TLS ALPN value, ALPN, names the framing itself and changes
// only if the framing does. Message type numbers and CBOR keys are only ever
// added, and decoders ignore unknown fields, so a newer peer can add fields
// without a version bump.
//
// # Encoding
//
// Bodies are CBOR (RFC 8949) through github.com/fxamacker/cbor. It was
// chosen because its decoder takes limits for untrusted input (nesting
// depth, array and map sizes, no indefinite lengths, no tags) and rejects
// duplicate map keys; because its deterministic encoding gives the same
// bytes for the same value, which the golden tests and the hub's Raft log
// entries rely on; and because it is schemaless, so there is no code
// generation step, while integer keys on protocol structs keep frames small.
// The shared customer types keep their JSON field names as CBOR keys.
// Marshal and Unmarshal expose the same codec to the rest of the module.
package protocol
