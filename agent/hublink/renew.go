package hublink

import (
	"crypto/x509"
	"fmt"
	"io"
	"time"

	"github.com/touchpoint/touchpoint/protocol"
)

// RenewIfDue asks the hub, on the connection's control stream, for a new
// certificate once a third or less of the current one's lifetime is
// left, with a new key. It reports whether it renewed; the caller saves
// the credentials, and the next connection uses them, so rotation needs
// no downtime.
func (c *Credentials) RenewIfDue(control io.ReadWriter, now time.Time) (bool, error) {
	cert, err := x509.ParseCertificate(c.Certificate)
	if err != nil {
		return false, fmt.Errorf("agent certificate: %w", err)
	}
	lifetime := cert.NotAfter.Sub(cert.NotBefore)
	if cert.NotAfter.Sub(now) > lifetime/3 {
		return false, nil
	}
	key, csr, err := newKeyAndCSR()
	if err != nil {
		return false, err
	}
	if err := protocol.WriteFrame(control, protocol.TypeRenew, &protocol.Renew{CSR: csr}); err != nil {
		return false, fmt.Errorf("ask for renewal: %w", err)
	}
	res, err := protocol.Expect[protocol.Renewed](control, protocol.TypeRenewed)
	if err != nil {
		return false, fmt.Errorf("renewal: %w", err)
	}
	c.Certificate, c.Key = res.Certificate, key
	return true, nil
}
