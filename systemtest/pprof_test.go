package systemtest

import (
	"fmt"
	"os"
	"slices"
	"testing"
)

// pprofListEnv names a file; when set, every hub and agent process a test
// starts serves pprof on its own loopback port, listed there one
// "name address" line each, to profile a scenario while it runs.
const pprofListEnv = "TOUCHPOINT_TEST_PPROF"

// withPprof adds --pprof-addr to a serving process's arguments when
// pprofListEnv asks for it.
func withPprof(t *testing.T, name string, args []string) []string {
	list := os.Getenv(pprofListEnv)
	if list == "" || !slices.ContainsFunc(args, func(a string) bool { return a == "serve" || a == "run" }) {
		return args
	}
	addr := freeTCP(t)
	f, err := os.OpenFile(list, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatalf("%s: %v", pprofListEnv, err)
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %s\n", name, addr)
	return append(slices.Clone(args), "--pprof-addr", addr)
}
