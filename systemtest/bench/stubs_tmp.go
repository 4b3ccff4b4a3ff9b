package main

import "context"

func runAgentSync(context.Context, *bench) error { return nil }
func runOutbox(context.Context, *bench) error    { return nil }
func runHubMemory(context.Context, *bench) error { return nil }
