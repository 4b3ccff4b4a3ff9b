package installer

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"
)

// recordedExit catches the program's exit instead of ending the test.
type recordedExit chan int

func (e recordedExit) exit(code int) { e <- code }

func newTestProgram(check func() error, run RunFunc) (*program, recordedExit) {
	exits := make(recordedExit, 1)
	p := newProgram(Service{Check: check, Run: run, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	p.exit = exits.exit
	return p, exits
}

func ok() error { return nil }

// Start returns at once while the agent runs (a slow Start is error 1053
// on Windows), and Stop waits for the agent to end cleanly.
func TestProgram_StartReturnsAtOnceAndStopWaits(t *testing.T) {
	running, stopped := make(chan struct{}), make(chan struct{})
	p, exits := newTestProgram(ok, func(ctx context.Context) error {
		close(running)
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond) // flushing
		close(stopped)
		return nil
	})
	if err := p.Start(nil); err != nil {
		t.Fatal(err)
	}
	<-running
	if err := p.Stop(nil); err != nil {
		t.Fatalf("stop: %v", err)
	}
	select {
	case <-stopped:
	default:
		t.Fatal("Stop returned before the agent finished")
	}
	if err := p.Stop(nil); err != nil { // a second stop (shutdown after stop) is harmless
		t.Fatalf("second stop: %v", err)
	}
	select {
	case code := <-exits:
		t.Fatalf("exited with %d after a requested stop", code)
	default:
	}
}

// A failed start check fails Start with ErrStartCheck, which Run turns
// into exit status 78 so that systemd does not restart it.
func TestProgram_FailedCheckIsFinal(t *testing.T) {
	p, _ := newTestProgram(func() error { return errors.New("not enrolled") }, func(context.Context) error {
		t.Error("agent ran despite the failed check")
		return nil
	})
	err := p.Start(nil)
	if !errors.Is(err, ErrStartCheck) {
		t.Fatalf("start: %v, want ErrStartCheck", err)
	}
	if err.Error() != "cannot start: not enrolled" {
		t.Errorf("message %q", err)
	}
}

// An agent that ends without being asked exits the process with status 1,
// so the service manager's restart policy applies.
func TestProgram_AgentEndingByItselfExitsForRestart(t *testing.T) {
	p, exits := newTestProgram(ok, func(context.Context) error { return errors.New("store failed") })
	if err := p.Start(nil); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-exits:
		if code != ExitFailure {
			t.Fatalf("exit %d, want %d", code, ExitFailure)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no exit")
	}
}

// Stop gives up after its timeout so the service manager is not kept
// waiting past its own limit.
func TestProgram_StopTimesOut(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	p, _ := newTestProgram(ok, func(context.Context) error { <-release; return nil })
	p.stopTimeout = 50 * time.Millisecond
	if err := p.Start(nil); err != nil {
		t.Fatal(err)
	}
	if err := p.Stop(nil); err == nil {
		t.Fatal("stop of a stuck agent returned no error")
	}
}
