package proc

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Spec says what to run and where its output goes.
type Spec struct {
	Name string   // the process in messages (and its log's name in tests)
	Path string   // the binary
	Args []string // read at each start: change them only while it is down
	Env  []string // added to this process's environment; a later entry wins
	// LogFile receives the process's output, appended over every start.
	LogFile string
	// PprofList, when set, names a file: each start of a serving process
	// (serve or run) adds --pprof-addr with a free loopback port, listed
	// in the file as a "name address" line.
	PprofList string
}

// Proc is one binary run from a Spec; it may be killed and started again
// as often as a test likes.
type Proc struct {
	Spec

	mu   sync.Mutex    // guards cmd and done: a test may kill from any goroutine
	cmd  *exec.Cmd     // nil: not started, or killed or stopped here
	done chan struct{} // closed once the process has ended and its log is closed
}

// stopGrace bounds the wait for a process to end after a signal; one
// still there is killed.
const stopGrace = 15 * time.Second

// Start starts a process from s.
func Start(s Spec) (*Proc, error) {
	p := &Proc{Spec: s}
	return p, p.Start()
}

// Start starts the binary again after Kill or Stop.
func (p *Proc) Start() error {
	args, err := p.withPprof(p.Args)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(p.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := Command(p.Path, p.Env, args...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); f.Close(); close(done) }()
	p.mu.Lock()
	p.cmd, p.done = cmd, done
	p.mu.Unlock()
	return nil
}

// Kill ends the process with SIGKILL: no clean shutdown, as in a crash.
func (p *Proc) Kill() { p.end(syscall.SIGKILL) }

// Stop asks the process to shut down cleanly (SIGTERM), and kills it if
// it has not ended after 15 s.
func (p *Proc) Stop() { p.end(syscall.SIGTERM) }

func (p *Proc) end(sig syscall.Signal) {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.cmd = nil
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(stopGrace):
		_ = cmd.Process.Kill()
		<-done
	}
}

// Running reports whether the process was started and not killed or
// stopped here since; it may have ended on its own (see Exited).
func (p *Proc) Running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd != nil
}

// Exited reports whether the process has ended on its own: it was
// started and not killed or stopped here.
func (p *Proc) Exited() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return false
	}
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Pid is the process id of the running process.
func (p *Proc) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd.Process.Pid
}

// ReadLog returns the process's log, over every start, as it is now.
func (p *Proc) ReadLog() string {
	b, _ := os.ReadFile(p.LogFile)
	return string(b)
}

// LastLogLine returns the log's last line that holds substr, or "".
func (p *Proc) LastLogLine(substr string) string {
	lines := strings.Split(p.ReadLog(), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], substr) {
			return lines[i]
		}
	}
	return ""
}
