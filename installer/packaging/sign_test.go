package packaging

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCA is a throwaway code-signing chain made for one test.
type testCA struct {
	caFile, certFile, keyFile string
}

func newTestCA(t *testing.T, name string) testCA {
	t.Helper()
	dir := t.TempDir()
	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name + " test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: name + " code signing", Organization: []string{"Touchpoint"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return testCA{
		caFile:   write("ca.pem", "CERTIFICATE", caDER),
		certFile: write("cert.pem", "CERTIFICATE", leafDER),
		keyFile:  write("key.pem", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key)),
	}
}

func (c testCA) signer() Signer {
	return Signer{Cert: c.certFile, Key: c.keyFile, Description: "Touchpoint dealer agent", URL: homepage}
}

// The release flow signs the agent binary, packs the signed binary into
// the .msi and signs the .msi; each signature verifies against the
// signing CA, and neither against another CA nor after tampering.
func TestSign_ExeAndMSIVerifyAgainstTheirCA(t *testing.T) {
	needTool(t, "osslsigncode", "osslsigncode")
	ca, other := newTestCA(t, "release"), newTestCA(t, "stranger")
	dir := t.TempDir()

	exe := filepath.Join(dir, "touchpoint-agent.exe")
	if err := ca.signer().Sign(binaries["windows/amd64"], exe); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, exe, ca.caFile)

	unsigned := buildMSI(t, exe, t.TempDir())
	msi := filepath.Join(dir, filepath.Base(unsigned))
	if err := ca.signer().Sign(unsigned, msi); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, msi, ca.caFile)
	inside := filepath.Join(dir, "inside.exe")
	if err := os.WriteFile(inside, extractFromMSI(t, msi), 0o644); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, inside, ca.caFile)

	if out, err := Verify(exe, other.caFile); err == nil {
		t.Errorf("verified against a stranger's CA:\n%s", out)
	}
	tampered := filepath.Join(dir, "tampered.exe")
	b, _ := os.ReadFile(exe)
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(tampered, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := Verify(tampered, ca.caFile); err == nil {
		t.Errorf("tampered binary verified:\n%s", out)
	}
	if out, err := Verify(binaries["windows/amd64"], ca.caFile); err == nil {
		t.Errorf("unsigned binary verified:\n%s", out)
	}
}

func mustVerify(t *testing.T, path, caFile string) {
	t.Helper()
	out, err := Verify(path, caFile)
	if err != nil || !strings.Contains(out, "Signature verification: ok") {
		t.Fatalf("%s: %v\n%s", filepath.Base(path), err, out)
	}
}
