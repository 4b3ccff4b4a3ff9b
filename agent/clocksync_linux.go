//go:build linux

package main

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// clockSynchronised asks the kernel whether NTP (chrony, timesyncd, ntpd)
// keeps the clock synchronised, and its estimated maximum error.
func clockSynchronised() (synced bool, detail string, known bool) {
	var tx unix.Timex // zero modes: read only
	state, err := unix.Adjtimex(&tx)
	if err != nil {
		return false, "", false
	}
	if state == unix.TIME_ERROR || tx.Status&unix.STA_UNSYNC != 0 {
		return false, "the kernel reports the clock as not synchronised", true
	}
	maxErr := time.Duration(tx.Maxerror) * time.Microsecond
	return true, fmt.Sprintf("the kernel reports the clock as synchronised (max error %s)", maxErr.Round(time.Millisecond)), true
}
