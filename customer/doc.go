// Package customer is Touchpoint's shared domain model: the interaction
// event every channel sends, the identity hints it carries, the rules that
// normalise those hints into identifiers, the profile derived from a
// person's events, and the result that says what became of an ingested
// event. The hub (authoritative) and the agent (provisional, offline) both
// use it, so both sides join people by the same rules.
//
// Every ingest path reads an event the same way (intake.go): DecodeEvent
// refuses a field the contract does not name, with its path; Prepare drops
// the hints that do not normalise, with a warning each, and rejects an
// event left without any. Blocked (blocked.go) says which identifiers
// never join people: placeholders by libphonenumber's evidence, and a
// configured list written in any form.
package customer
