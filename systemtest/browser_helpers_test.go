package systemtest

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// chromiumPath finds the headless browser for the browser tests: Debian's
// chromium (or $CHROMIUM). Without one a local run skips; CI must have it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if path, err := exec.LookPath(c); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on PATH: CI must run the browser tests (.ci/run installs the Debian package chromium)")
	}
	t.Skip("no chromium on PATH: install the Debian package chromium (or set $CHROMIUM) to run the browser tests")
	return ""
}

// startBrowser starts headless Chromium with a fresh profile and a
// 1280×800 window; it is closed when the test ends.
func startBrowser(t *testing.T, path string) context.Context {
	t.Helper()
	var output bytes.Buffer
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
		chromedp.CombinedOutput(&output),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		if t.Failed() && output.Len() > 0 {
			t.Logf("--- chromium output ---\n%s", lastLines(output.String(), 30))
		}
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// screenshotDir is where the browser test keeps its screenshots:
// $TOUCHPOINT_SCREENSHOTS when set; the test's artifact directory with
// `go test -artifacts`; else testdata/out/<test>/ here (ignored by git),
// emptied first, so `make test` leaves the latest run's pages to look at.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TOUCHPOINT_SCREENSHOTS")
	switch {
	case dir != "":
	case flag.Lookup("test.artifacts") != nil && flag.Lookup("test.artifacts").Value.String() == "true":
		dir = t.ArtifactDir()
	default:
		abs, err := filepath.Abs(filepath.Join("testdata", "out", t.Name()))
		if err != nil {
			t.Fatal(err)
		}
		dir = abs
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// tab drives one browser tab through the staff page, step by step; each
// step fails the test with what it was doing.
type tab struct {
	t     *testing.T
	ctx   context.Context
	shots string
	n     int
}

// do runs actions within timeout.
func (b *tab) do(what string, timeout time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.screenshot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
}

// text returns the visible text of the page's main content.
func (b *tab) text() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		b.t.Fatalf("read the page: %v", err)
	}
	return s
}

// eval evaluates a JavaScript expression to a value of type T.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor evaluates a JavaScript condition until it is true.
func (b *tab) waitFor(what, condition string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for !eval[bool](b, "Boolean("+condition+")") {
		if time.Now().After(deadline) {
			b.screenshot("failed-" + strings.ReplaceAll(what, " ", "-"))
			b.t.Fatalf("%s: not true after %s; the page shows:\n%s", what, timeout, eval[string](b, `document.querySelector("main").previousElementSibling.outerHTML`))
		}
		time.Sleep(250 * time.Millisecond) // the page refreshes its banner every few seconds
	}
}

// screenshot saves the whole page as NN-name.png.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	b.n++
	file := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Errorf("save screenshot: %v", err)
	}
}

// assertText fails unless the page shows every one of wants.
func (b *tab) assertText(where string, wants ...string) {
	b.t.Helper()
	text := b.text()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			b.t.Errorf("%s: the page does not show %q; it shows:\n%s", where, w, lastLines(text, 40))
		}
	}
}

// a11yProblems lists inputs without a label and whether the page scrolls
// sideways at the current width.
const a11yProblems = `(() => {
  const out = [];
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden") continue;
    if (!el.labels || el.labels.length === 0) out.push("no label: " + (el.id || el.name));
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push("scrolls sideways at " + window.innerWidth + " px");
  return out.join("; ");
})()`

// runWithInput runs a binary with stdin and returns its stdout.
func runWithInput(t *testing.T, input, bin string, args ...string) string {
	t.Helper()
	cmd := command(bin, args...)
	cmd.Stdin = strings.NewReader(input)
	out, err := proc.Output(cmd)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
