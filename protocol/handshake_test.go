package protocol

import (
	"errors"
	"net"
	"strings"
	"testing"
)

// Negotiate picks the highest common version and otherwise says which side to upgrade.
func TestNegotiate(t *testing.T) {
	tests := []struct {
		name     string
		min, max uint16
		want     uint16
		advice   string // end of the error message; empty when a version is found
	}{
		{"same range", MinSupportedVersion, CurrentVersion, CurrentVersion, ""},
		{"newer agent overlaps", MinSupportedVersion, CurrentVersion + 5, CurrentVersion, ""},
		{"older agent overlaps", 0, CurrentVersion, CurrentVersion, ""},
		{"agent too old", 0, MinSupportedVersion - 1, 0, "upgrade the agent"},
		{"agent too new", CurrentVersion + 1, CurrentVersion + 3, 0, "upgrade the hub"},
		{"empty range", CurrentVersion, MinSupportedVersion - 1, 0, "empty range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Negotiate(&Hello{MinVersion: tt.min, MaxVersion: tt.max})
			if tt.advice == "" {
				if err != nil || got != tt.want {
					t.Fatalf("got %d, %v; want %d", got, err, tt.want)
				}
				return
			}
			var ve *VersionError
			if !errors.As(err, &ve) || !errors.Is(err, ErrVersion) {
				t.Fatalf("err = %v, want *VersionError matching ErrVersion", err)
			}
			if !strings.HasSuffix(err.Error(), tt.advice) {
				t.Fatalf("err = %q, want it to end with %q", err, tt.advice)
			}
		})
	}
}

// serveHandshake plays the hub's side of the handshake on conn.
func serveHandshake(conn net.Conn, welcome Welcome) error {
	h, err := ReadHello(conn)
	if err != nil {
		return err
	}
	v, err := Negotiate(h)
	if err != nil {
		return WriteError(conn, CodeVersion, err.Error())
	}
	welcome.Version = v
	return WriteFrame(conn, TypeWelcome, &welcome)
}

// A handshake over a pipe fills in the agent's versions and returns the hub's Welcome.
func TestHandshake_Success(t *testing.T) {
	agent, hub := net.Pipe()
	defer agent.Close()
	defer hub.Close()
	errc := make(chan error, 1)
	go func() { errc <- serveHandshake(hub, Welcome{NodeID: "hub-a", Hubs: []string{"hub-a:4242"}}) }()

	w, err := ClientHandshake(agent, Hello{AgentID: "agt_01", Secret: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if w.Version != CurrentVersion || w.NodeID != "hub-a" {
		t.Fatalf("welcome = %+v", w)
	}
}

// An agent the hub cannot serve gets a version error telling it to upgrade.
func TestHandshake_VersionMismatch(t *testing.T) {
	agent, hub := net.Pipe()
	defer agent.Close()
	defer hub.Close()
	errc := make(chan error, 1)
	go func() { errc <- serveHandshake(hub, Welcome{NodeID: "hub-a"}) }()

	_, err := ClientHandshake(agent, Hello{MinVersion: CurrentVersion + 1, MaxVersion: CurrentVersion + 2})
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	var remote *RemoteError
	if !errors.As(err, &remote) || !errors.Is(err, ErrVersion) {
		t.Fatalf("err = %v, want *RemoteError matching ErrVersion", err)
	}
	if !strings.HasSuffix(err.Error(), "upgrade the hub") {
		t.Fatalf("err = %q", err)
	}
}

// The agent refuses a Welcome that names a version outside its range.
func TestHandshake_WelcomeOutsideRange(t *testing.T) {
	agent, hub := net.Pipe()
	defer agent.Close()
	defer hub.Close()
	go func() {
		if _, err := ReadHello(hub); err == nil {
			_ = WriteFrame(hub, TypeWelcome, &Welcome{Version: CurrentVersion + 1})
		}
	}()
	_, err := ClientHandshake(agent, Hello{})
	var ve *VersionError
	if !errors.As(err, &ve) || !errors.Is(err, ErrVersion) {
		t.Fatalf("err = %v, want *VersionError", err)
	}
}

// ReadHello rejects credentials longer than their limits.
func TestReadHello_RejectsLongFields(t *testing.T) {
	tests := []struct {
		name  string
		hello Hello
	}{
		{"agent id", Hello{AgentID: strings.Repeat("a", maxAgentIDLen+1)}},
		{"secret", Hello{Secret: strings.Repeat("s", maxSecretLen+1)}},
		{"software", Hello{Software: strings.Repeat("v", maxSoftwareLen+1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agent, hub := net.Pipe()
			defer agent.Close()
			defer hub.Close()
			go func() { _ = WriteFrame(agent, TypeHello, &tt.hello) }()
			if _, err := ReadHello(hub); !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
}
