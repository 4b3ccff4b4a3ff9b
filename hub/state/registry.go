package state

import (
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

func (s *State) applyPutDealer(w *writer, d *Dealer) {
	w.set(key(prefixDealer, d.ID), mustEncode(d))
}

func (s *State) applyEnroll(w *writer, now int64, body *EnrollBody) error {
	raw, ok := get(w.txn, key(prefixToken, body.TokenHash))
	if !ok {
		return ErrUnknownToken
	}
	var tok Token
	decodeValue(raw, &tok)
	w.delete(key(prefixToken, body.TokenHash))
	if tok.ExpiresAt != 0 && now/1e9 >= tok.ExpiresAt {
		return ErrUnknownToken
	}
	agent := Agent{
		ID: body.AgentID, Dealer: tok.Dealer, SecretHash: body.SecretHash,
		Hostname: body.Hostname, EnrolledAt: now / 1e9,
	}
	w.set(key(prefixAgent, agent.ID), mustEncode(&agent))
	return nil
}

// dealers returns every registered dealer in id order.
func (s *State) dealers(r kv.Reader) []Dealer {
	var out []Dealer
	scan(r, []byte(prefixDealer), func(_, v []byte) bool {
		var d Dealer
		decodeValue(v, &d)
		out = append(out, d)
		return true
	})
	return out
}

func (s *State) dealer(r kv.Reader, id string) (Dealer, bool) {
	raw, ok := get(r, key(prefixDealer, id))
	if !ok {
		return Dealer{}, false
	}
	var d Dealer
	decodeValue(raw, &d)
	return d, true
}

func (s *State) agent(r kv.Reader, id string) (Agent, bool) {
	raw, ok := get(r, key(prefixAgent, id))
	if !ok {
		return Agent{}, false
	}
	var a Agent
	decodeValue(raw, &a)
	return a, true
}

func (s *State) nodes(r kv.Reader) []Node {
	var out []Node
	scan(r, []byte(prefixNode), func(_, v []byte) bool {
		var n Node
		decodeValue(v, &n)
		out = append(out, n)
		return true
	})
	return out
}
