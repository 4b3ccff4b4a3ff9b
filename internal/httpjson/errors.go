package httpjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// Error is an answer that is not 2xx.
type Error struct {
	Status  int    // the HTTP status
	Message string // the answer's "error", else its body
	Field   string // the answer's "field": what was wrong, when it says
	Reason  string // the answer's "reason": why, when it says

	server   string // "hub", "agent"
	tokenFix string // how to give a token, for 401
	noToken  bool   // the request carried no token
}

// Error says what the server answered; a refused token says how to give
// one instead.
func (e *Error) Error() string {
	if e.Status == http.StatusUnauthorized && e.tokenFix != "" {
		if e.noToken {
			return fmt.Sprintf("the %s wants a token: %s", e.server, e.tokenFix)
		}
		return fmt.Sprintf("the %s refused the token: %s", e.server, e.tokenFix)
	}
	msg := e.Message
	if msg == "" && e.Field != "" {
		msg = e.Field + ": " + e.Reason
	}
	return fmt.Sprintf("%s answered %d: %s", e.server, e.Status, msg)
}

// answerError decodes an error answer: {"error": ..., "field": ...,
// "reason": ...}, or any other body as the message.
func (c *Client) answerError(status int, data []byte) *Error {
	var a struct {
		Error  string `json:"error"`
		Field  string `json:"field"`
		Reason string `json:"reason"`
	}
	e := &Error{Status: status, server: c.server(), tokenFix: c.Hints.TokenFix, noToken: c.Token == ""}
	if json.Unmarshal(data, &a) == nil && (a.Error != "" || a.Field != "") {
		e.Message, e.Field, e.Reason = a.Error, a.Field, a.Reason
		return e
	}
	e.Message = string(bytes.TrimSpace(data))
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}
