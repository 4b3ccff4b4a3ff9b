package state

import (
	"encoding/binary"
)

// Badger key layout of the FSM. Every key starts with a short prefix that
// names its table; parts are separated by a NUL byte, which validation
// keeps out of every id.
var (
	keyApplied     = []byte("m/applied")   // raft index of the last applied entry
	keySeqCounter  = []byte("m/seq")       // (raft index, feed positions handed out in it)
	keyCustomerSeq = []byte("m/customers") // last customer number handed out
	keyMergeSeq    = []byte("m/merges")    // last merge number handed out

	prefixEventOwner = "e/"  // e/<source>\0<id> → customer id (dedup)
	prefixCustEvent  = "ce/" // ce/<cust>\0<source>\0<id> → stored event
	prefixIdentifier = "i/"  // i/<identifier> → customer id
	prefixCustIdent  = "ci/" // ci/<cust>\0<identifier> → ""
	prefixMerged     = "mg/" // mg/<cust> → customer it was merged into
	prefixVersion    = "v/"  // v/<cust> → seq of its last change
	prefixName       = "n/"  // n/<name token>\0<cust> → ""
	prefixScope      = "s/"  // s/<dealer>\0<cust> → ""
	prefixCustScope  = "cs/" // cs/<cust>\0<dealer> → ""
	prefixFeed       = "f/"  // f/<dealer>\0<seq> → customer id
	prefixDealer     = "d/"  // d/<dealer> → Dealer
	prefixToken      = "t/"  // t/<token hash> → Token
	prefixAgent      = "a/"  // a/<agent id> → Agent
	prefixNode       = "nd/" // nd/<node id> → Node

	prefixSummary      = "sm/" // sm/<cust> → summary (household and matching evidence)
	prefixHouseholdKey = "hk/" // hk/<vin:… | addr:…>\0<cust> → ""
	prefixBlock        = "bk/" // bk/<blocking key>\0<cust> → ""
	prefixCandidate    = "cd/" // cd/<a>\0<b> → Candidate
	prefixNotPair      = "np/" // np/<a>\0<b> → "" (rejected or split: never merge automatically)
	prefixMergeRecord  = "mr/" // mr/<merge id> → Merge
	prefixCustMerge    = "cm/" // cm/<cust>\0<merge id> → ""
	prefixReplay       = "rp/" // rp/<raft index>\0<command>\0<part> → customers an ingest touched (see replay.go)
)

func key(prefix string, parts ...string) []byte {
	n := len(prefix)
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, prefix...)
	for i, p := range parts {
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, p...)
	}
	return b
}

// keyPrefix is key with a trailing separator, for scanning one owner's rows.
func keyPrefix(prefix string, parts ...string) []byte {
	return append(key(prefix, parts...), 0)
}

func feedKey(dealer string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(keyPrefix(prefixFeed, dealer), seq)
}

func encodeUint(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func decodeUint(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// lastPart returns what follows the final separator of a key.
func lastPart(k []byte) string {
	for i := len(k) - 1; i >= 0; i-- {
		if k[i] == 0 {
			return string(k[i+1:])
		}
	}
	return string(k)
}
