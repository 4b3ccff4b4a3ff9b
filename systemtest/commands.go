package systemtest

import (
	"os/exec"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/systemtest/freeport"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// StartProc starts bin (touchpoint-hub or touchpoint-agent) with args for
// t's test (see proc.MustStart); its environment holds the operator token
// for hub commands, and env.
func StartProc(t testing.TB, name string, env []string, bin string, args ...string) *proc.Proc {
	t.Helper()
	return proc.MustStart(t, proc.Spec{Name: name, Path: proc.Bin(bin), Args: args, Env: append(tokenEnv(), env...)})
}

// command is bin with args, its environment holding the operator token
// for hub commands.
func command(bin string, args ...string) *exec.Cmd {
	return proc.Command(proc.Bin(bin), tokenEnv(), args...)
}

// Run runs a binary to completion and returns its stdout.
func Run(t testing.TB, bin string, args ...string) string {
	t.Helper()
	out, err := proc.Output(command(bin, args...))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// RunErr runs a binary and returns its error, for commands meant to fail.
func RunErr(bin string, args ...string) error {
	return command(bin, args...).Run()
}

// Eventually retries fn until it returns nil or timeout passes.
func Eventually(t testing.TB, timeout time.Duration, what string, fn func() error) {
	t.Helper()
	if err := proc.WaitEvery(timeout, 100*time.Millisecond, what, fn); err != nil {
		t.Fatal(err)
	}
}

// FreeTCP is a free 127.0.0.1 address for a TCP listener.
func FreeTCP(t testing.TB) string {
	t.Helper()
	return mustAddr(t, freeport.TCP)
}

// FreeUDP is a free 127.0.0.1 address for a UDP listener.
func FreeUDP(t testing.TB) string {
	t.Helper()
	return mustAddr(t, freeport.UDP)
}

func mustAddr(t testing.TB, pick func() (string, error)) string {
	t.Helper()
	addr, err := pick()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}
