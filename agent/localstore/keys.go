package localstore

import "encoding/binary"

// Key layout; parts are separated by NUL, which validation keeps out of
// every id and identifier.
var (
	keyCursor   = []byte("m/cursor")   // change-feed cursor
	keyOutSeq   = []byte("m/outseq")   // last outbox sequence number
	keyLastSync = []byte("m/lastsync") // unix nanos of the last feed batch applied

	prefixOutbox     = "o/"  // o/<seq> → Event
	prefixLocal      = "l/"  // l/<source>\0<id> → localEvent
	prefixLocalIdent = "li/" // li/<identifier>\0<source>\0<id> → ""
	prefixProfile    = "p/"  // p/<cust> → Profile
	prefixIdent      = "pi/" // pi/<identifier>\0<cust> → ""
	prefixName       = "pn/" // pn/<name token>\0<cust> → ""
	prefixRejected   = "rj/" // rj/<seq> → rejected
	prefixVehicle    = "pv/" // pv/<vin:VIN | plate:PLATE>\0<cust> → ""

	prefixStaff      = "sa/" // sa/<username> → StaffAccount
	prefixStaffToken = "sk/" // sk/<hex sha256 of API token> → username
	prefixSession    = "ss/" // ss/<hex sha256 of session token> → Session (with TTL)
	prefixAudit      = "au/" // au/<unix nanos><cust> → AuditEntry
	prefixUpLog      = "up/" // up/<yyyy-mm-dd>\0<unix nanos>\0<source>\0<id> → Event (with TTL)
)

func key(prefix string, parts ...string) []byte {
	b := []byte(prefix)
	for i, p := range parts {
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, p...)
	}
	return b
}

func keyPrefix(prefix string, parts ...string) []byte {
	return append(key(prefix, parts...), 0)
}

func seqKey(prefix string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(prefix), seq)
}

func encodeUint(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func decodeUint(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

func lastPart(k []byte) string {
	for i := len(k) - 1; i >= 0; i-- {
		if k[i] == 0 {
			return string(k[i+1:])
		}
	}
	return string(k)
}
