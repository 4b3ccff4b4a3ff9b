package protocol

import "github.com/touchpoint/touchpoint/customer"

// Match-candidate review from a dealership: the staff page lists the open
// candidates that touch the dealer's customers and confirms or rejects
// them. Each request opens its own StreamCandidates stream.

// CandidatesRequest asks for the open candidates in the agent's scope.
type CandidatesRequest struct {
	Limit int `cbor:"1,keyasint,omitempty"`
}

// CandidateView is one open candidate with both profiles side by side.
type CandidateView struct {
	ID       string              `cbor:"1,keyasint" json:"id"`
	A        customer.Profile    `cbor:"2,keyasint" json:"a"`
	B        customer.Profile    `cbor:"3,keyasint" json:"b"`
	Score    float64             `cbor:"4,keyasint" json:"score"`
	Evidence []customer.Evidence `cbor:"5,keyasint" json:"evidence"`
	Reason   string              `cbor:"6,keyasint,omitempty" json:"reason,omitempty"`
}

// CandidateList answers a CandidatesRequest.
type CandidateList struct {
	Candidates []CandidateView `cbor:"1,keyasint"`
}

// Decide confirms (merges the two people) or rejects a candidate, naming
// the staff member who decided.
type Decide struct {
	ID      string `cbor:"1,keyasint"`
	Confirm bool   `cbor:"2,keyasint"`
	Staff   string `cbor:"3,keyasint"`
}

// Decided answers a Decide after the Raft commit: "confirmed" or
// "rejected".
type Decided struct {
	ID     string `cbor:"1,keyasint"`
	Status string `cbor:"2,keyasint"`
}

// MaxCandidates bounds one CandidateList.
const MaxCandidates = 50

// Validate bounds the requested count.
func (r *CandidatesRequest) Validate() error {
	if r.Limit < 0 || r.Limit > MaxCandidates {
		return invalid("limit", "must be between 0 and %d", MaxCandidates)
	}
	return nil
}

// Validate checks the candidate id (1-64 bytes) and the staff name
// (1-128 bytes).
func (d *Decide) Validate() error {
	if err := checkText("id", d.ID, 1, 64); err != nil {
		return err
	}
	return checkText("staff", d.Staff, 1, 128)
}
