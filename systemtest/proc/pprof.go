package proc

import (
	"fmt"
	"os"
	"slices"

	"github.com/touchpoint/touchpoint/systemtest/freeport"
)

// pprofListEnv names a file; when set, every hub and agent process a test
// starts serves pprof on its own loopback port, listed there one "name
// address" line each, to profile a scenario while it runs.
const pprofListEnv = "TOUCHPOINT_TEST_PPROF"

// withPprof adds --pprof-addr to a serving process's arguments when
// p.PprofList asks for it.
func (p *Proc) withPprof(args []string) ([]string, error) {
	if p.PprofList == "" || !slices.ContainsFunc(args, func(a string) bool { return a == "serve" || a == "run" }) {
		return args, nil
	}
	addr, err := freeport.TCP()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pprofListEnv, err)
	}
	f, err := os.OpenFile(p.PprofList, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pprofListEnv, err)
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %s\n", p.Name, addr)
	return append(slices.Clone(args), "--pprof-addr", addr), nil
}
