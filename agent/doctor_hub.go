package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/agent/hublink"
)

func (d *doctor) checkEnrolment() (*hublink.Credentials, finding) {
	f := finding{Check: "enrolment"}
	creds, err := hublink.LoadCredentials(d.dataDir)
	if err != nil {
		f.Status, f.Detail = statusFail, err.Error()
		f.Fix = "enrol this PC: touchpoint-agent install --hub HUB:7443 --token TOKEN (run doctor as root or the service account if the files exist)"
		return nil, f
	}
	if _, err := checkDataDir(d.dataDir, d.software); err != nil {
		f.Status, f.Detail, f.Fix = statusFail, err.Error(), "install the newer agent again"
		return creds, f
	}
	f.Detail = fmt.Sprintf("agent %s of dealer %s, data in %s", creds.AgentID, creds.DealerID, d.dataDir)
	return creds, f
}

// pingAll pings every hub node the agent knows, concurrently.
func (d *doctor) pingAll(ctx context.Context, creds *hublink.Credentials) []pingOutcome {
	out := make([]pingOutcome, len(creds.Hubs))
	var wg sync.WaitGroup
	for i, addr := range creds.Hubs {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, d.pingTimeout)
			defer cancel()
			res, err := hublink.Ping(ctx, addr, creds, d.software)
			out[i] = pingOutcome{res: res, err: err}
		})
	}
	wg.Wait()
	return out
}

type pingOutcome struct {
	res *hublink.PingResult
	err error
}

func (d *doctor) checkHub(ctx context.Context, creds *hublink.Credentials) ([]pingOutcome, finding) {
	f := finding{Check: "hub"}
	pings := d.pingAll(ctx, creds)
	var ok, failed []string
	for _, p := range pings {
		if p.err != nil {
			failed = append(failed, p.err.Error())
			continue
		}
		r := p.res
		ok = append(ok, fmt.Sprintf("%s (node %s) answered over QUIC: handshake %s, protocol v%d handshake %s",
			r.Addr, r.NodeID, r.Handshake.Round(time.Millisecond), r.Version, r.Welcome.Round(time.Millisecond)))
	}
	switch {
	case len(ok) == 0:
		f.Status = statusFail
		f.Detail = "no hub node answered: " + strings.Join(failed, "; ")
		f.Fix = "check this PC's network and firewall (outbound UDP to the hub's port); if they are fine the hub is down or refuses this agent: tell the hub operator"
		if presentedBadChain(pings) {
			f.Fix = "the hub's certificate did not verify: see hub certificate below"
		}
	case len(failed) > 0:
		f.Status = statusWarn
		f.Detail = strings.Join(ok, "; ") + fmt.Sprintf("; %d of %d nodes did not answer: %s", len(failed), len(pings), strings.Join(failed, "; "))
		f.Fix = "the agent fails over to the nodes that answer; tell the hub operator about the others"
	default:
		f.Detail = strings.Join(ok, "; ")
	}
	return pings, f
}

func presentedBadChain(pings []pingOutcome) bool {
	for _, p := range pings {
		if p.res != nil && p.res.VerifyErr != nil {
			return true
		}
	}
	return false
}

func (d *doctor) checkAgentCertificate(creds *hublink.Credentials) finding {
	f := finding{Check: "agent certificate"}
	cert, err := x509.ParseCertificate(creds.Certificate)
	if err != nil {
		f.Status, f.Detail, f.Fix = statusFail, "cannot read it: "+err.Error(), "enrol again"
		return f
	}
	return certLifetime(f, cert, d.now(), "enrol this PC again before then (touchpoint-agent uninstall --purge, then install with a new token)")
}

// checkHubCertificate judges the certificate the first hub node that
// got as far as TLS presented.
func (d *doctor) checkHubCertificate(pings []pingOutcome) finding {
	f := finding{Check: "hub certificate"}
	var r *hublink.PingResult
	for _, p := range pings {
		if p.res != nil && len(p.res.PeerChain) > 0 {
			r = p.res
			break
		}
	}
	if r == nil {
		f.Status, f.Detail = statusSkip, "no hub node presented a certificate"
		return f
	}
	leaf := r.PeerChain[0]
	var invalid x509.CertificateInvalidError
	var unknown x509.UnknownAuthorityError
	switch {
	case errors.As(r.VerifyErr, &invalid) && invalid.Reason == x509.Expired:
		return certLifetime(f, leaf, d.now(), "")
	case errors.As(r.VerifyErr, &unknown):
		f.Status = statusFail
		f.Detail = fmt.Sprintf("%s presented %q, not signed by the CA pinned at enrolment", r.Addr, leaf.Subject.CommonName)
		f.Fix = "check the hub address; if the hub's CA was replaced, enrol this PC again"
		return f
	case r.VerifyErr != nil:
		f.Status, f.Detail = statusFail, fmt.Sprintf("%s: %v", r.Addr, r.VerifyErr)
		f.Fix = "tell the hub operator; if the dates look wrong, check this PC's clock"
		return f
	}
	f = certLifetime(f, leaf, d.now(), "tell the hub operator to renew the hub's certificate")
	f.Detail = r.Addr + ": " + f.Detail
	return f
}

// certLifetime judges a certificate's validity period against now. It
// warns in the last tenth of the lifetime (at most 30 days): by then the
// automatic renewals (an agent's with a third left, a hub node's a day
// before expiry) should have happened.
func certLifetime(f finding, c *x509.Certificate, now time.Time, renew string) finding {
	name := c.Subject.CommonName
	switch {
	case now.Before(c.NotBefore):
		f.Status = statusFail
		f.Detail = fmt.Sprintf("%q is not valid until %s (%s from now by this PC's clock)", name, c.NotBefore.UTC().Format(time.RFC3339), days(c.NotBefore.Sub(now)))
		f.Fix = "this PC's clock is probably behind: turn on automatic time (timedatectl set-ntp true, or Windows Settings > Time)"
	case now.After(c.NotAfter):
		f.Status = statusFail
		f.Detail = fmt.Sprintf("%q expired on %s (%s ago)", name, c.NotAfter.UTC().Format(time.RFC3339), days(now.Sub(c.NotAfter)))
		f.Fix = "the certificate must be renewed: tell the hub operator; if the date is far off, check this PC's clock"
	case c.NotAfter.Sub(now) < min(certWarnAhead, c.NotAfter.Sub(c.NotBefore)/10):
		f.Status = statusWarn
		f.Detail = fmt.Sprintf("%q expires on %s (in %s)", name, c.NotAfter.UTC().Format(time.RFC3339), days(c.NotAfter.Sub(now)))
		f.Fix = renew
	default:
		f.Detail = fmt.Sprintf("%q valid until %s (%s left)", name, c.NotAfter.UTC().Format("2006-01-02"), days(c.NotAfter.Sub(now)))
	}
	return f
}

// checkClock reports what can be known about this PC's clock. The hub
// protocol carries no time, so the skew against the hub is unknown; the
// kernel's synchronisation state (Linux) and a hub certificate that is
// not yet valid are the evidence there is.
func (d *doctor) checkClock(pings []pingOutcome) finding {
	f := finding{Check: "clock", Status: statusSkip}
	notes := []string{"skew against the hub unknown (the hub protocol carries no time)"}
	for _, p := range pings {
		if p.res != nil && len(p.res.PeerChain) > 0 && d.now().Before(p.res.PeerChain[0].NotBefore) {
			f.Status = statusFail
			f.Detail = "this PC's clock is behind the hub's: the hub's certificate is not valid yet by it"
			f.Fix = "turn on automatic time (timedatectl set-ntp true, or Windows Settings > Time)"
			return f
		}
	}
	if synced, detail, known := clockSynchronised(); known {
		notes = append([]string{detail}, notes...)
		if synced {
			f.Status = statusOK
		} else {
			f.Status = statusWarn
			f.Fix = "turn on time synchronisation (timedatectl set-ntp true): certificates and timelines need a right clock"
		}
	}
	f.Detail = strings.Join(notes, "; ")
	return f
}
