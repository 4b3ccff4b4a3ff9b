package state

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/touchpoint/touchpoint/hub/state/kv"
	"github.com/touchpoint/touchpoint/protocol"
)

// Every profile the FSM puts into the feed cache is, byte for byte, the
// profile a feed reader builds from the committed state at that version:
// checked after each entry of seeded workloads with merges, splits and
// erasures.
func TestFeedStash_CachedProfilesEqualFreshOnes(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			s := mustState(t)
			hits := 0
			for i, e := range randomEntries(t, seed, 60) {
				s.ApplyEntry(uint64(i+1), e)
				hits += checkCachedProfiles(t, s, i+1)
			}
			if hits == 0 {
				t.Fatal("no profile was cached by the FSM")
			}
		})
	}
}

// checkCachedProfiles compares each cached profile at its customer's
// current version with a fresh build and returns how many it compared.
func checkCachedProfiles(t *testing.T, s *State, entry int) int {
	t.Helper()
	n := 0
	s.view(func(txn kv.Reader) {
		for _, k := range keysUnder(txn, []byte(prefixVersion)) {
			cust := string(k[len(prefixVersion):])
			v, _ := get(txn, k)
			cached, ok := s.feedCache.get(cust, decodeUint(v))
			if !ok {
				continue
			}
			n++
			fresh, ok := s.profile(txn, cust)
			if !ok {
				t.Errorf("entry %d: %s cached but has no profile", entry, cust)
				continue
			}
			got, _ := protocol.Marshal(cached)
			want, _ := protocol.Marshal(&fresh)
			if !bytes.Equal(got, want) {
				t.Errorf("entry %d: cached profile of %s differs from a fresh build:\n got %+v\nwant %+v", entry, cust, *cached, fresh)
			}
		}
	})
	return n
}
