package protocol

import "fmt"

// Protocol versions this build speaks: every version from
// MinSupportedVersion to CurrentVersion.
const (
	CurrentVersion      uint16 = 1
	MinSupportedVersion uint16 = 1
)

// ALPN is the TLS application protocol name agents and hubs offer. It
// names the framing; message versions are negotiated in Hello.
const ALPN = "touchpoint/1"

// Negotiate picks the highest version that both the agent, as described by
// h, and this hub speak. With no common version it returns a *VersionError.
func Negotiate(h *Hello) (uint16, error) {
	lo := max(h.MinVersion, MinSupportedVersion)
	hi := min(h.MaxVersion, CurrentVersion)
	if lo > hi {
		return 0, &VersionError{
			AgentMin: h.MinVersion, AgentMax: h.MaxVersion,
			HubMin: MinSupportedVersion, HubMax: CurrentVersion,
		}
	}
	return hi, nil
}

// VersionError reports that the agent's and the hub's version ranges do
// not overlap. It matches ErrVersion.
type VersionError struct {
	AgentMin, AgentMax uint16 // versions the agent speaks
	HubMin, HubMax     uint16 // versions the hub speaks
}

// Error says which ranges were offered and which side to upgrade.
func (e *VersionError) Error() string {
	msg := fmt.Sprintf("agent speaks protocol %d-%d, hub speaks %d-%d",
		e.AgentMin, e.AgentMax, e.HubMin, e.HubMax)
	switch {
	case e.AgentMin > e.AgentMax:
		return msg + ": agent sent an empty range"
	case e.AgentMax < e.HubMin:
		return msg + ": upgrade the agent"
	case e.AgentMin > e.HubMax:
		return msg + ": upgrade the hub"
	}
	return msg
}

// Unwrap returns ErrVersion.
func (e *VersionError) Unwrap() error { return ErrVersion }
