package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/internal/cli"
)

func runSnapshot(args []string) error {
	fs := newFlags("snapshot")
	client := clientFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 || (fs.Arg(0) != "save" && fs.Arg(0) != "restore") {
		return cli.UsageError("give save FILE or restore FILE")
	}
	if fs.Arg(0) == "save" {
		return saveSnapshot(client(), fs.Arg(1))
	}
	return restoreSnapshot(client(), fs.Arg(1))
}

// saveSnapshot downloads a snapshot to file (via a temporary file, so a
// failed download never leaves a file that looks complete) and verifies it.
func saveSnapshot(c *apiClient, file string) error {
	resp, err := c.stream(http.MethodGet, "/v1/snapshot", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	tmp := file + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, &progress{r: resp.Body, what: "saved", start: time.Now()})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	fmt.Fprintln(os.Stderr)
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("download snapshot: %w", err)
	}
	if _, err := verifyFile(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("downloaded snapshot is damaged (retry): %w", err)
	}
	if err := os.Rename(tmp, file); err != nil {
		return err
	}
	fmt.Printf("snapshot saved to %s (%d bytes, checksum verified)\n", file, n)
	return nil
}

// restoreSnapshot verifies file, then uploads it to replace the cluster's state.
func restoreSnapshot(c *apiClient, file string) error {
	index, err := verifyFile(file)
	if err != nil {
		return fmt.Errorf("%s: %w; nothing was changed", file, err)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	resp, err := c.stream(http.MethodPost, "/v1/snapshot", &progress{r: f, what: "uploaded", start: time.Now()})
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	resp.Body.Close()
	fmt.Printf("cluster restored from %s (state as of raft index %d)\n", file, index)
	return nil
}

func verifyFile(file string) (uint64, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return state.VerifySnapshot(f)
}

// progress reports bytes moved on stderr, at most every half second.
type progress struct {
	r     io.Reader
	what  string
	n     int64
	start time.Time
	last  time.Time
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if time.Since(p.last) > 500*time.Millisecond || err == io.EOF {
		p.last = time.Now()
		fmt.Fprintf(os.Stderr, "\r%s %.1f MiB in %s", p.what, float64(p.n)/(1<<20), time.Since(p.start).Round(time.Second))
	}
	return n, err
}
