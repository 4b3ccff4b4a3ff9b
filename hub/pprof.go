package main

import "github.com/touchpoint/touchpoint/installer/profiling"

// The --pprof-addr check and server, shared with the agent.
var (
	checkPprofAddr = profiling.CheckAddr
	servePprof     = profiling.Serve
)
