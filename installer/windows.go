package installer

import (
	"fmt"
	"strings"
	"time"
)

// WindowsService is the agent's entry in the Windows service manager, as
// `install` registers it and the .msi writes it.
type WindowsService struct {
	Name, DisplayName, Description string
	// Executable and Arguments make the service's command line.
	Executable string
	Arguments  []string
	// StartType is "auto"; DelayedAutoStart starts it shortly after boot,
	// once the network is up, without delaying logon.
	StartType        string
	DelayedAutoStart bool
	Account          string // LocalSystem
	// Recovery is what the service manager does after the 1st, 2nd and
	// later failures; the failure count resets after ResetPeriod.
	Recovery    []RecoveryAction
	ResetPeriod time.Duration
	// EventSource is the Application event log source the agent writes
	// its messages under; EventMessageFile formats them.
	EventSource, EventMessageFile string
}

// RecoveryAction is one entry of the service's failure actions.
type RecoveryAction struct {
	Action string // "restart"
	Delay  time.Duration
}

// WindowsServiceFor is the Windows service for s.
func WindowsServiceFor(s Spec) WindowsService {
	return WindowsService{
		Name: ServiceName, DisplayName: DisplayName, Description: Description,
		Executable: s.Executable, Arguments: s.Arguments(),
		StartType: "auto", DelayedAutoStart: true, Account: "LocalSystem",
		Recovery: []RecoveryAction{
			{Action: "restart", Delay: restartDelaySeconds * time.Second},
			{Action: "restart", Delay: restartDelaySeconds * time.Second},
			{Action: "restart", Delay: 30 * time.Second},
		},
		ResetPeriod:      recoveryResetPeriod * time.Second,
		EventSource:      ServiceName,
		EventMessageFile: `%SystemRoot%\System32\EventCreate.exe`,
	}
}

// CommandLine is the service's command line as the service manager
// stores it, quoted by the rules Windows programs parse it with.
func (w WindowsService) CommandLine() string {
	parts := []string{windowsArg(w.Executable)}
	for _, a := range w.Arguments {
		parts = append(parts, windowsArg(a))
	}
	return strings.Join(parts, " ")
}

// ArgumentLine is CommandLine without the executable.
func (w WindowsService) ArgumentLine() string {
	parts := make([]string, len(w.Arguments))
	for i, a := range w.Arguments {
		parts[i] = windowsArg(a)
	}
	return strings.Join(parts, " ")
}

// ScCommands are the sc.exe invocations that set what a Windows Installer
// ServiceInstall row cannot express: delayed start and recovery actions.
func (w WindowsService) ScCommands() [][]string {
	start := "auto"
	if w.DelayedAutoStart {
		start = "delayed-auto"
	}
	var actions []string
	for _, a := range w.Recovery {
		actions = append(actions, fmt.Sprintf("%s/%d", a.Action, a.Delay.Milliseconds()))
	}
	return [][]string{
		{"config", w.Name, "start=", start},
		{"failure", w.Name, "reset=", fmt.Sprint(int64(w.ResetPeriod.Seconds())), "actions=", strings.Join(actions, "/")},
	}
}

// windowsArg quotes one argument as CommandLineToArgvW splits it.
func windowsArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for _, r := range s {
		switch r {
		case '\\':
			slashes++
		case '"':
			// the backslashes before a quote were written once: double them, then escape the quote
			b.WriteString(strings.Repeat(`\`, slashes+1))
			slashes = 0
			b.WriteRune(r)
			continue
		default:
			slashes = 0
		}
		if r != '\\' {
			b.WriteRune(r)
		} else {
			b.WriteByte('\\')
		}
	}
	b.WriteString(strings.Repeat(`\`, slashes)) // trailing backslashes before the closing quote, doubled
	b.WriteByte('"')
	return b.String()
}
