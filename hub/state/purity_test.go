package state_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// forbiddenDeps are what a pure customer graph must never reach, even
// through a library: Raft, HTTP, TLS, QUIC and a storage engine (Badger
// comes in through hub/state/kv's interfaces only).
var forbiddenDeps = regexp.MustCompile(`^(net/http|crypto/tls|github\.com/hashicorp/raft.*|github\.com/quic-go/.*|github\.com/dgraph-io/badger.*)$`)

// The state package, and the kv interfaces it runs on, import no raft,
// net/http, TLS, QUIC or Badger package, directly or through another.
func TestState_DependsOnNoServerPackage(t *testing.T) {
	for _, pkg := range []string{".", "./kv"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if forbiddenDeps.MatchString(dep) {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
}

// clockOrChance is a read of the clock or of randomness: Apply takes
// time from the command, and a replica must reach the same state.
var clockOrChance = regexp.MustCompile(`time\.(Now|Since|Until|After|Tick|NewTimer|NewTicker)\(|"math/rand|"crypto/rand`)

// No file of the package reads the clock or draws a random number.
func TestState_ReadsNoClockAndNoRandomness(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if loc := clockOrChance.Find(src); loc != nil {
			t.Errorf("%s uses %s", f, loc)
		}
	}
}
