package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// screenshotDir is $TOUCHPOINT_TEST_SCREENSHOTS, or a directory the test
// removes afterwards.
func screenshotDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("TOUCHPOINT_TEST_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// headlessChromium finds a chromium binary, or skips the test loudly.
func headlessChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	msg := "SKIPPED " + t.Name() + ": no chromium on PATH, the fleet page was not rendered in a browser (apt-get install chromium, or set $CHROMIUM)"
	fmt.Fprintln(os.Stderr, msg)
	t.Skip(msg)
	return ""
}

// The fleet page renders in a real browser; the screenshot is for a
// person to look at (fleet-page.png).
func TestFleetPage_Screenshot(t *testing.T) {
	t.Parallel()
	browser := headlessChromium(t)
	n := mustFleetNode(t)
	srv := httptest.NewServer(n.h)
	t.Cleanup(srv.Close)
	out := filepath.Join(screenshotDir(t), "fleet-page.png")

	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--no-first-run", "--user-data-dir="+t.TempDir(), "--window-size=1300,1350", "--screenshot="+out, srv.URL+"/")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, msg)
	}
	png, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) || len(png) < 10_000 {
		t.Fatalf("screenshot %s: %d bytes, %v", out, len(png), err)
	}
	t.Logf("fleet page screenshot: %s", out)
}
