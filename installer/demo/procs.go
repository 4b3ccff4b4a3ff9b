package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// proc is a server the demo started and stops at the end.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed when it has exited
}

// start runs prog from bin in the background, logging to
// dataDir/name.log. The process is kept out of the terminal's Ctrl-C
// (see procattr_*.go): the demo stops its servers itself, in order.
func start(bin, dataDir, name, prog string, args ...string) (*proc, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	logFile, err := os.Create(filepath.Join(dataDir, name+".log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(bin, prog), args...)
	cmd.Env = env()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = detached()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s (is it built in %s?): %w", prog, bin, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(p.done)
	}()
	return p, nil
}

// stopTimeout is how long a server may take to stop before it is killed.
const stopTimeout = 10 * time.Second

// stop asks the server to stop (Ctrl-C) and kills it if it does not in
// time; where an interrupt cannot be sent (Windows), it kills it.
func (p *proc) stop() {
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		_ = p.cmd.Process.Kill()
	}
	select {
	case <-p.done:
	case <-time.After(stopTimeout):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// output runs a command of prog and returns what it printed.
func output(bin, prog string, args ...string) (string, error) {
	return outputWithStdin("", bin, prog, args...)
}

// outputWithStdin is output with stdin as the command's input.
func outputWithStdin(stdin, bin, prog string, args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(bin, prog), args...)
	cmd.Env = env()
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return "", fmt.Errorf("%s %s: %s", prog, args[0], exit.Stderr)
	}
	return string(out), err
}

// waitFor waits until url answers 200.
func waitFor(ctx context.Context, url string) error {
	for range 150 {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not become ready", url)
}

// call sends body (when not nil) as JSON with the token of url's server
// and decodes the answer into out (when not nil).
func call(ctx context.Context, method, url string, body, out any) error {
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tokens[req.URL.Host])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return fmt.Errorf("%s %s: %d %s", method, url, resp.StatusCode, e.Error)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// tokens maps an HTTP address to the token its server expects.
var tokens = map[string]string{}

// operatorToken is handed to hub commands through TOUCHPOINT_TOKEN.
var operatorToken string

func env() []string {
	if operatorToken == "" {
		return os.Environ()
	}
	return append(os.Environ(), "TOUCHPOINT_TOKEN="+operatorToken)
}

// readToken waits for a token file a server writes and remembers it for addr.
func readToken(ctx context.Context, path, addr string) error {
	for range 150 {
		if b, err := os.ReadFile(path); err == nil && len(bytes.TrimSpace(b)) > 0 {
			tokens[addr] = strings.TrimSpace(string(b))
			if addr == hubHTTP {
				operatorToken = tokens[addr]
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s was not written", path)
}
