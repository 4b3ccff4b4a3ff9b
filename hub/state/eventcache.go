package state

import (
	"bytes"
	"slices"
	"strings"

	lru "github.com/hashicorp/golang-lru"
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// The FSM re-derives a customer (profile, scope, names, household,
// candidates) from all its events whenever one arrives; reading and
// decoding every stored event each time was most of the cost of an
// ingest. eventCache keeps the decoded events of recently changed
// customers for the FSM alone, kept equal to what the FSM's transaction
// would read: every write under ce/ goes through writer, which tells the
// cache (see writer.observe). Readers of the applied state never use it.
// An apply that does not finish (a panic) clears it.
const (
	eventCacheCustomers = 2048
	// eventCacheMaxEvents keeps the biggest timelines out of the cache.
	eventCacheMaxEvents = 1000
)

// custEvents are one customer's stored events in key order, as a scan
// of ce/<cust>/ returns them.
type custEvents struct {
	keys   []string // <source>\0<id>
	events []IngestEvent
}

// eventCache is nil where there is none (readers; tests of the
// uncached path): then it holds nothing and observes nothing.
type eventCache struct{ lru *lru.Cache }

func newEventCache() *eventCache {
	c, err := lru.New(eventCacheCustomers)
	must(err, "event cache")
	return &eventCache{lru: c}
}

func (c *eventCache) get(cust string) (*custEvents, bool) {
	if c == nil {
		return nil, false
	}
	v, ok := c.lru.Get(cust)
	if !ok {
		return nil, false
	}
	return v.(*custEvents), true
}

func (c *eventCache) add(cust string, ce *custEvents) {
	if c != nil && len(ce.keys) <= eventCacheMaxEvents {
		c.lru.Add(cust, ce)
	}
}

func (c *eventCache) clear() {
	if c != nil {
		c.lru.Purge()
	}
}

var custEventPrefix = []byte(prefixCustEvent)

// observe applies one FSM write to the cached events of its customer;
// other keys are ignored. v is nil for a delete.
func (c *eventCache) observe(k, v []byte, deleted bool) {
	if c == nil || !bytes.HasPrefix(k, custEventPrefix) {
		return
	}
	cust, rest, ok := strings.Cut(string(k[len(custEventPrefix):]), "\x00")
	if !ok {
		return
	}
	ce, ok := c.get(cust)
	if !ok {
		return
	}
	i, found := slices.BinarySearch(ce.keys, rest)
	switch {
	case deleted && found:
		ce.keys = slices.Delete(ce.keys, i, i+1)
		ce.events = slices.Delete(ce.events, i, i+1)
	case deleted:
	default:
		var in IngestEvent
		decodeValue(v, &in)
		if found {
			ce.events[i] = in
			return
		}
		ce.keys = slices.Insert(ce.keys, i, rest)
		ce.events = slices.Insert(ce.events, i, in)
		if len(ce.keys) > eventCacheMaxEvents {
			c.lru.Remove(cust)
		}
	}
}

// loadEvents reads a customer's stored events from the FSM's transaction.
func loadEvents(r kv.Reader, cust string) *custEvents {
	ce := &custEvents{}
	prefix := keyPrefix(prefixCustEvent, cust)
	scan(r, prefix, func(k, v []byte) bool {
		var in IngestEvent
		decodeValue(v, &in)
		ce.keys = append(ce.keys, string(k[len(prefix):]))
		ce.events = append(ce.events, in)
		return true
	})
	return ce
}
