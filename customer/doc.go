// Package customer is Touchpoint's shared domain model: the interaction
// event every channel sends, the identity hints it carries, the rules that
// normalise those hints into identifiers, the profile derived from a
// person's events, and the result that says what became of an ingested
// event. The hub (authoritative) and the agent (provisional, offline) both
// use it, so both sides join people by the same rules.
package customer
