package packaging

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Signer adds Authenticode signatures to Windows binaries and installers
// with osslsigncode. No timestamp server is used: none is reachable from
// the build machines, so a signature is valid while its certificate is.
type Signer struct {
	Cert, Key   string // PEM files: the code-signing certificate (chain) and its key
	Description string // shown by Windows as the signed content's name
	URL         string
}

// Sign writes a signed copy of in to out (a .exe or an .msi).
func (s Signer) Sign(in, out string) error {
	bin, err := exec.LookPath("osslsigncode")
	if err != nil {
		return fmt.Errorf("osslsigncode not found: install the Debian package osslsigncode: %w", err)
	}
	_ = os.Remove(out) // osslsigncode refuses to overwrite
	args := []string{"sign", "-certs", s.Cert, "-key", s.Key, "-h", "sha256", "-n", s.Description, "-in", in, "-out", out}
	if s.URL != "" {
		args = append(args, "-i", s.URL)
	}
	if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("sign %s: %v: %s", in, err, strings.TrimSpace(string(b)))
	}
	return nil
}

// Verify checks path's signature against the CA certificates in caFile
// and returns osslsigncode's report.
func Verify(path, caFile string) (string, error) {
	bin, err := exec.LookPath("osslsigncode")
	if err != nil {
		return "", fmt.Errorf("osslsigncode not found: %w", err)
	}
	b, err := exec.Command(bin, "verify", "-CAfile", caFile, "-in", path).CombinedOutput()
	if err != nil {
		return string(b), fmt.Errorf("verify %s: %v", path, err)
	}
	return string(b), nil
}
