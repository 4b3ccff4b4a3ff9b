package systemtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/systemtest/freeport"
)

// binDir holds the binaries built once for the whole run.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "touchpoint-bin-")
	if err != nil {
		panic(err)
	}
	for name, pkg := range map[string]string{"touchpoint-hub": "../hub", "touchpoint-agent": "../agent"} {
		cmd := exec.Command("go", "build", "-race", "-o", filepath.Join(dir, name), pkg)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "build %s: %v\n", name, err)
			os.Exit(1)
		}
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is one running binary whose output goes to a log file.
type proc struct {
	t    *testing.T
	name string
	args []string
	log  string

	mu  sync.Mutex
	cmd *exec.Cmd
}

func startProc(t *testing.T, name, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, name: name, args: append([]string{filepath.Join(binDir, bin)}, args...), log: filepath.Join(t.TempDir(), name+".log")}
	p.start()
	t.Cleanup(func() { p.finish(t) })
	return p
}

// finish kills the process when its test ends, shows its log if the
// test failed, and keeps the log if asked to (keptLogsEnv).
func (p *proc) finish(t *testing.T) {
	p.kill()
	if t.Failed() {
		p.dumpLog()
	}
	keepLog(t, p)
}

// keptLogsEnv names a directory; when set, every process's log is copied
// there when its test ends, to study a scenario after it ran.
const keptLogsEnv = "TOUCHPOINT_TEST_LOGS"

func keepLog(t *testing.T, p *proc) {
	dir := os.Getenv(keptLogsEnv)
	if dir == "" {
		return
	}
	b, err := os.ReadFile(p.log)
	if err == nil {
		// Appended: a node rebuilt in a test is a second process of
		// the same name.
		name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + "." + p.name + ".log"
		err = appendFile(filepath.Join(dir, name), b)
	}
	if err != nil {
		t.Logf("%s: %v", keptLogsEnv, err)
	}
}

func (p *proc) start() {
	p.t.Helper()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		p.t.Fatal(err)
	}
	args := withPprof(p.t, p.name, p.args)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = commandEnv()
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		p.t.Fatalf("start %s: %v", p.name, err)
	}
	go func() { _ = cmd.Wait(); f.Close() }()
	p.mu.Lock()
	p.cmd = cmd
	p.mu.Unlock()
}

// kill stops the process with SIGKILL: no clean shutdown, as in a crash.
func (p *proc) kill() { p.signal(syscall.SIGKILL) }

// stop asks the process to shut down cleanly.
func (p *proc) stop() { p.signal(syscall.SIGTERM) }

func (p *proc) signal(sig syscall.Signal) {
	p.mu.Lock()
	cmd := p.cmd
	p.cmd = nil
	p.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) && cmd.Process.Signal(syscall.Signal(0)) == nil {
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *proc) restart() {
	p.t.Helper()
	p.kill()
	p.start()
}

func (p *proc) dumpLog() {
	b, _ := os.ReadFile(p.log)
	lines := strings.Split(string(b), "\n")
	if len(lines) > 60 {
		lines = lines[len(lines)-60:]
	}
	p.t.Logf("--- last lines of %s ---\n%s", p.name, strings.Join(lines, "\n"))
}

// run runs a binary to completion and returns its stdout.
func run(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(binDir, bin), args...)
	cmd.Env = commandEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

func freeTCP(t *testing.T) string {
	t.Helper()
	addr, err := freeport.TCP()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func freeUDP(t *testing.T) string {
	t.Helper()
	addr, err := freeport.UDP()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// eventually retries fn until it returns nil or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true after %s: %v", what, timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var httpClient = &http.Client{Timeout: 30 * time.Second}

// call sends body as JSON (when not nil) and decodes a 2xx answer into out.
func call(method, url string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token := tokenFor(req.URL.Host); token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, url, resp.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}

// runErr runs a binary and returns its error, for commands meant to fail.
func runErr(bin string, args ...string) error {
	cmd := exec.Command(filepath.Join(binDir, bin), args...)
	cmd.Env = commandEnv()
	return cmd.Run()
}

// callText GETs url and returns the body as text.
func callText(url string, out *string) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if token := tokenFor(req.URL.Host); token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	*out = string(b)
	return err
}

// Credentials the tests send: the operator token of the hub under test
// (to hub commands, through TOUCHPOINT_TOKEN) and, per address, the
// token each HTTP server expects.
var (
	authMu        sync.Mutex
	operatorToken string
	authTokens    = map[string]string{}
)

// setToken makes calls to addr carry token.
func setToken(addr, token string) {
	authMu.Lock()
	defer authMu.Unlock()
	authTokens[addr] = token
}

func tokenFor(addr string) string {
	authMu.Lock()
	defer authMu.Unlock()
	return authTokens[addr]
}

func setOperatorToken(token string) {
	authMu.Lock()
	defer authMu.Unlock()
	operatorToken = token
}

// commandEnv is the environment of every binary the tests run.
func commandEnv() []string {
	authMu.Lock()
	defer authMu.Unlock()
	env := os.Environ()
	if operatorToken != "" {
		env = append(env, "TOUCHPOINT_TOKEN="+operatorToken)
	}
	return env
}

func appendFile(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
