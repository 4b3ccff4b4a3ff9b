//go:build windows

package installer

import (
	"fmt"

	"golang.org/x/sys/windows/svc/mgr"
)

// configureWindowsService sets what kardianos/service leaves out: three
// recovery actions (it sets one), their reset period, and delayed start.
func configureWindowsService(w WindowsService) error {
	m, err := mgr.Connect()
	if err != nil {
		return fmt.Errorf("connect to the service manager: %w", err)
	}
	defer m.Disconnect()
	s, err := m.OpenService(w.Name)
	if err != nil {
		return fmt.Errorf("open service %s: %w", w.Name, err)
	}
	defer s.Close()
	cfg, err := s.Config()
	if err != nil {
		return fmt.Errorf("read service config: %w", err)
	}
	cfg.StartType = mgr.StartAutomatic
	cfg.DelayedAutoStart = w.DelayedAutoStart
	if err := s.UpdateConfig(cfg); err != nil {
		return fmt.Errorf("set delayed start: %w", err)
	}
	actions := make([]mgr.RecoveryAction, len(w.Recovery))
	for i, a := range w.Recovery {
		actions[i] = mgr.RecoveryAction{Type: mgr.ServiceRestart, Delay: a.Delay}
	}
	if err := s.SetRecoveryActions(actions, uint32(w.ResetPeriod.Seconds())); err != nil {
		return fmt.Errorf("set recovery actions: %w", err)
	}
	// A failed start check (not enrolled, bad config) stops the service
	// with an exit code; restarting it would only repeat the failure.
	if err := s.SetRecoveryActionsOnNonCrashFailures(false); err != nil {
		return fmt.Errorf("set recovery flag: %w", err)
	}
	return nil
}
