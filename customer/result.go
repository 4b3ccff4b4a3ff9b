package customer

// Statuses of an EventResult.
const (
	StatusCreated   = "created"
	StatusDuplicate = "duplicate"
	StatusRejected  = "rejected"
	// StatusConflict: the same (source, id) was recorded before with a
	// different body; the first one stands.
	StatusConflict = "conflict"
)

// Warning names a hint of an event that was dropped and why; the event
// itself was recorded without it.
type Warning struct {
	Field  string `cbor:"1,keyasint" json:"field"`
	Reason string `cbor:"2,keyasint" json:"reason"`
}

// EventResult is what became of one ingested event: the hub's answer to
// an agent's push (CBOR) and the per-event answer of POST /v1/events
// (JSON) at the hub and the agent. The cbor keys are wire numbers: only
// ever add one.
type EventResult struct {
	ID         string    `cbor:"1,keyasint" json:"id"`
	Status     string    `cbor:"2,keyasint" json:"status"`
	CustomerID string    `cbor:"3,keyasint,omitempty" json:"customer_id,omitempty"`
	Field      string    `cbor:"4,keyasint,omitempty" json:"field,omitempty"`
	Reason     string    `cbor:"5,keyasint,omitempty" json:"reason,omitempty"`
	Warnings   []Warning `cbor:"6,keyasint,omitempty" json:"warnings,omitempty"`
}
