package protocol

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxBatch is the most events a Push, or changes a Changes, may hold.
const MaxBatch = 1000

// Limits on string fields, in bytes.
const (
	maxAgentIDLen    = 128
	maxSecretLen     = 256
	maxSoftwareLen   = 128
	maxTokenLen      = 256
	maxHostnameLen   = 256
	maxLookupLen     = 256
	maxCustomerIDLen = 256
)

// invalidError names the field of a message that broke a rule. It matches
// ErrInvalid and whatever error it wraps, such as a *customer.FieldError.
type invalidError struct {
	field string
	err   error
}

func (e *invalidError) Error() string { return e.field + ": " + e.err.Error() }

func (e *invalidError) Unwrap() []error { return []error{ErrInvalid, e.err} }

func invalid(field, format string, args ...any) error {
	return &invalidError{field: field, err: fmt.Errorf(format, args...)}
}

// checkText checks that s is valid UTF-8 without NUL bytes and holds
// between lo and hi bytes.
func checkText(field, s string, lo, hi int) error {
	switch {
	case len(s) < lo && lo == 1:
		return invalid(field, "is required")
	case len(s) < lo:
		return invalid(field, "must be at least %d bytes", lo)
	case len(s) > hi:
		return invalid(field, "is longer than %d bytes", hi)
	case !utf8.ValidString(s):
		return invalid(field, "is not valid UTF-8")
	case strings.IndexByte(s, 0) >= 0:
		return invalid(field, "contains a NUL byte")
	}
	return nil
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Validate checks the lengths of the agent's credentials and software
// name: at most 128, 256 and 128 bytes.
func (h *Hello) Validate() error {
	return firstErr(
		checkText("agent_id", h.AgentID, 0, maxAgentIDLen),
		checkText("secret", h.Secret, 0, maxSecretLen),
		checkText("software", h.Software, 0, maxSoftwareLen),
	)
}

// Validate checks that the token holds 1 to 256 bytes and the hostname at
// most 256.
func (e *Enroll) Validate() error {
	return firstErr(
		checkText("token", e.Token, 1, maxTokenLen),
		checkText("hostname", e.Hostname, 0, maxHostnameLen),
		checkCSR(e.CSR),
	)
}

// maxCSRLen bounds a certificate request: an EC key's is a few hundred bytes.
const maxCSRLen = 8 << 10

func checkCSR(csr []byte) error {
	if len(csr) > maxCSRLen {
		return invalid("csr", "is longer than %d bytes", maxCSRLen)
	}
	return nil
}

// Validate checks the batch size and then every event, normalising each
// event's time to UTC. The error names the first bad event, as in
// "events[3]: customer.email: is not an email address", and wraps its
// *customer.FieldError. A hub that answers per event may instead check
// len(Events) and validate events one by one.
func (p *Push) Validate() error {
	if len(p.Events) > MaxBatch {
		return invalid("events", "has %d entries, at most %d allowed", len(p.Events), MaxBatch)
	}
	for i := range p.Events {
		if err := p.Events[i].Validate(); err != nil {
			return &invalidError{field: fmt.Sprintf("events[%d]", i), err: err}
		}
	}
	return nil
}

// Validate checks the batch size and that each change names its customer
// and is either a profile of that customer or a removal.
func (c *Changes) Validate() error {
	if len(c.Changes) > MaxBatch {
		return invalid("changes", "has %d entries, at most %d allowed", len(c.Changes), MaxBatch)
	}
	for i := range c.Changes {
		ch := &c.Changes[i]
		field := fmt.Sprintf("changes[%d]", i)
		if err := checkText(field+".customer_id", ch.CustomerID, 1, maxCustomerIDLen); err != nil {
			return err
		}
		if ch.Profile != nil && ch.MergedInto != "" {
			return invalid(field, "has both a profile and merged_into")
		}
		if ch.Profile != nil && ch.Profile.CustomerID != ch.CustomerID {
			return invalid(field+".profile.customer_id", "does not match the change")
		}
	}
	return nil
}

// Validate checks that exactly one field is set and that it holds at most
// 256 bytes.
func (l *Lookup) Validate() error {
	fields := []struct{ name, value string }{
		{"email", l.Email}, {"phone", l.Phone}, {"name", l.Name}, {"customer_id", l.CustomerID},
	}
	set := 0
	for _, f := range fields {
		if f.value == "" {
			continue
		}
		set++
		if err := checkText(f.name, f.value, 0, maxLookupLen); err != nil {
			return err
		}
	}
	if set != 1 {
		return invalid("lookup", "must set exactly one field, has %d", set)
	}
	return nil
}

// Validate checks the software name (at most 128 bytes) and that the
// oldest unsent time is not negative.
func (s *Status) Validate() error {
	if s.OldestUnsent < 0 {
		return invalid("oldest_unsent", "is negative")
	}
	return checkText("software", s.Software, 0, maxSoftwareLen)
}

// Validate bounds the certificate request.
func (r *Renew) Validate() error { return checkCSR(r.CSR) }
