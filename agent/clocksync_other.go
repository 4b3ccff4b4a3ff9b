//go:build !linux

package main

// clockSynchronised is unknown off Linux.
func clockSynchronised() (synced bool, detail string, known bool) { return false, "", false }
