package systemtest

import (
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// NewEvent is an event of one customer, known by phone, from source (its
// channel follows from the source's kind).
func NewEvent(id, source, typ, phone string, at time.Time) customer.Event {
	channel := map[string]string{"dealer": "showroom", "web": "web", "phone": "phone"}
	kind := source[:len(source)-len(source[indexColon(source):])]
	return customer.Event{
		ID: id, Source: source, Type: typ, Channel: channel[kind], OccurredAt: at.UTC().Truncate(time.Second),
		Customer: customer.Hints{Phone: phone},
	}
}

func indexColon(s string) int {
	for i, r := range s {
		if r == ':' {
			return i
		}
	}
	return len(s)
}
