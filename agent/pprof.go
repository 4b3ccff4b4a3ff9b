package main

import "github.com/touchpoint/touchpoint/installer/profiling"

// The --pprof-addr check and server, shared with the hub.
var (
	checkPprofAddr = profiling.CheckAddr
	servePprof     = profiling.Serve
)
