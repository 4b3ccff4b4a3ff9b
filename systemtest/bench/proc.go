package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/touchpoint/touchpoint/systemtest/freeport"
)

// proc is one running binary whose output goes to a log file.
type proc struct {
	name string
	args []string
	env  []string
	log  string
	mu   sync.Mutex // guards cmd: stop may come from a signal
	cmd  *exec.Cmd
	done chan struct{}
}

// startProc starts bin from binDir with args, logging to logDir/name.log.
func startProc(logDir, name, bin string, env []string, args ...string) (*proc, error) {
	p := &proc{name: name, args: append([]string{filepath.Join(binDir, bin)}, args...), env: env,
		log: filepath.Join(logDir, name+".log")}
	return p, p.start()
}

func (p *proc) start() error {
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(p.args[0], p.args[1:]...)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", p.name, err)
	}
	p.cmd, p.done = cmd, make(chan struct{})
	go func() { _ = cmd.Wait(); f.Close(); close(p.done) }()
	return nil
}

// pid is the process id of the running process.
func (p *proc) pid() int { return p.cmd.Process.Pid }

// stop sends SIGTERM, then SIGKILL if the process is still there after 10 s.
func (p *proc) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	p.cmd = nil
}

// runBin runs a binary to completion and returns its stdout.
func runBin(env []string, bin string, args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(binDir, bin), args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return "", fmt.Errorf("%s %v: %v: %s", bin, args, err, ee.Stderr)
	}
	return string(out), err
}

func freeTCP() string { return mustPort(freeport.TCP()) }

func freeUDP() string { return mustPort(freeport.UDP()) }

func mustPort(addr string, err error) string {
	if err != nil {
		panic(err)
	}
	return addr
}

// waitFor polls fn every 50 ms until it returns nil or timeout passes.
func waitFor(timeout time.Duration, what string, fn func() error) error {
	return waitEvery(timeout, 50*time.Millisecond, what, fn)
}

// waitEvery polls fn every interval until it returns nil or timeout passes.
func waitEvery(timeout, every time.Duration, what string, fn func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := fn()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not true after %s: %w", what, timeout, err)
		}
		time.Sleep(every)
	}
}
