// Package httpjson is the JSON-over-HTTP client of the command-line tools:
// touchpoint-hub's operator commands and touchpoint-agent's staff commands.
// It sends a bearer token, encodes requests and decodes answers as JSON,
// bounds what it reads, and turns an error answer ({"error", "field",
// "reason"}) into an *Error that tells the user what to do, naming the
// binary's own flags rather than HTTP headers.
//
// Each binary keeps its own flags (--addr, --token, environment
// variables) and wraps a Client.
package httpjson
