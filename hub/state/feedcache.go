package state

import (
	lru "github.com/hashicorp/golang-lru"
	"github.com/touchpoint/touchpoint/customer"
)

// Every session of a dealer reads the same changes, and a customer in
// several dealers' scopes is read by each of their sessions; a profile is
// built from its events once per version and then shared. A version is a
// feed position: every change to a customer gives it a new one, so a
// cached profile is never stale for its version.
const (
	feedCacheEntries = 4096
	// feedCacheMaxEvents keeps the biggest timelines out of the cache.
	feedCacheMaxEvents = 500
)

type profileKey struct {
	cust    string
	version uint64
}

type profileCache struct{ lru *lru.Cache }

func newProfileCache() *profileCache {
	c, err := lru.New(feedCacheEntries)
	must(err, "profile cache")
	return &profileCache{lru: c}
}

// get returns a copy of the cached profile, so a caller may change its
// fields (a feed frame trims a huge timeline) without touching the cache.
func (c *profileCache) get(cust string, version uint64) (*customer.Profile, bool) {
	v, ok := c.lru.Get(profileKey{cust, version})
	if !ok {
		return nil, false
	}
	p := *v.(*customer.Profile)
	return &p, true
}

func (c *profileCache) add(p *customer.Profile) {
	if p.Version == 0 || len(p.Events) > feedCacheMaxEvents {
		return
	}
	cp := *p
	c.lru.Add(profileKey{p.CustomerID, p.Version}, &cp)
}
