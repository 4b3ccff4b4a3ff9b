package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// build compiles touchpoint-hub and touchpoint-agent into bin with goTool,
// the version stamped in, showing what is being compiled as it goes.
func build(ctx context.Context, goTool, bin, version string) error {
	step(fmt.Sprintf("building touchpoint-hub and touchpoint-agent into %s (the first build takes a few minutes)", bin))
	for _, dir := range []string{"hub", "agent"} {
		if err := buildOne(ctx, goTool, bin, version, dir); err != nil {
			return err
		}
	}
	return nil
}

// buildOne runs `go build -v` for ./dir, which names each package as it
// compiles it, and shows them through a progress.
func buildOne(ctx context.Context, goTool, bin, version, dir string) error {
	name := "touchpoint-" + dir
	out := filepath.Join(bin, name)
	if runtime.GOOS == "windows" {
		out += ".exe"
	}
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("no ./%s here: run the demo from the repository's root (make demo)", dir)
	}
	cmd := exec.CommandContext(ctx, goTool, "build", "-v", "-ldflags", "-X main.version="+version, "-o", out, "./"+dir)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	p := newProgress(os.Stdout, isTerminal(os.Stdout), name, time.Now())
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("build %s with %s: %w", name, goTool, err)
	}
	var problems []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			// -v prints a package path a line; anything else is a problem,
			// or a module being downloaded.
			switch line := sc.Text(); {
			case line != "" && !strings.ContainsAny(line, " \t:"):
				p.compiled(line)
			case strings.HasPrefix(line, "go: downloading "):
				p.doing(strings.TrimPrefix(line, "go: "))
			default:
				problems = append(problems, line)
			}
		}
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case <-done:
			waiting = false
		case <-tick.C:
			p.show()
		}
	}
	err = cmd.Wait()
	p.finish()
	if err != nil {
		return fmt.Errorf("build %s: %w\n%s", name, err, strings.Join(problems, "\n"))
	}
	step(fmt.Sprintf("built %s in %s (%s)", name, elapsed(time.Since(p.start)), p.summary()))
	return nil
}

// progress shows a build as it goes: on a terminal one line, rewritten
// every second, with the package being compiled and the time so far;
// elsewhere (a log) a line every few seconds.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	terminal bool
	name     string
	start    time.Time
	now      func() time.Time
	packages int
	current  string
	shown    time.Time // when a line was last written, off a terminal
}

// logEvery is how often progress writes a line when not on a terminal.
const logEvery = 5 * time.Second

func newProgress(w io.Writer, terminal bool, name string, start time.Time) *progress {
	return &progress{w: w, terminal: terminal, name: name, start: start, now: time.Now, shown: start}
}

// compiled notes that go build compiled pkg.
func (p *progress) compiled(pkg string) {
	p.mu.Lock()
	p.packages++
	p.current = pkg
	p.mu.Unlock()
	p.show()
}

// doing notes what go build does besides compiling, e.g. downloading.
func (p *progress) doing(what string) {
	p.mu.Lock()
	p.current = what
	p.mu.Unlock()
	p.show()
}

// show writes where the build is, if it is time to.
func (p *progress) show() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	what := "linking"
	if p.current != "" {
		what = p.current
	}
	line := fmt.Sprintf("    %s: %d packages compiled, %s (%s)", p.name, p.packages, what, elapsed(now.Sub(p.start)))
	switch {
	case p.terminal:
		fmt.Fprintf(p.w, "\r\033[K%s", truncate(line, 100))
	case now.Sub(p.shown) >= logEvery:
		fmt.Fprintln(p.w, line)
		p.shown = now
	}
}

// finish clears the progress line on a terminal.
func (p *progress) finish() {
	if p.terminal {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// summary says how much was compiled.
func (p *progress) summary() string {
	if p.packages == 0 {
		return "up to date, linked only"
	}
	if p.packages == 1 {
		return "1 package compiled"
	}
	return fmt.Sprintf("%d packages compiled", p.packages)
}

// elapsed shows a duration as 1m05s or 7s.
func elapsed(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return d.String()
	}
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// isTerminal reports whether f is a terminal (a character device).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
