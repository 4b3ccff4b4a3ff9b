package installer

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/kardianos/service"
)

// serviceManager is the ServiceManager of this OS, through kardianos/service.
type serviceManager struct{}

// NewServiceManager returns the OS service manager: systemd on Linux, the
// service control manager on Windows.
func NewServiceManager() (ServiceManager, error) {
	if runtime.GOOS == "linux" && service.ChosenSystem().String() != "linux-systemd" {
		return nil, fmt.Errorf("no systemd found (found %s): run `touchpoint-agent run --config FILE` under this machine's init system instead", service.ChosenSystem())
	}
	return serviceManager{}, nil
}

func (serviceManager) open(s *Spec) (service.Service, error) {
	cfg := &service.Config{Name: ServiceName}
	if s != nil {
		cfg = ServiceConfig(*s)
	}
	svc, err := service.New(newProgram(Service{}), cfg)
	if err != nil {
		return nil, fmt.Errorf("service manager: %w", err)
	}
	return svc, nil
}

func (m serviceManager) Status() (registered, running bool, err error) {
	svc, err := m.open(nil)
	if err != nil {
		return false, false, err
	}
	st, err := svc.Status()
	switch {
	case errors.Is(err, service.ErrNotInstalled):
		return false, false, nil
	case err != nil && strings.Contains(err.Error(), "failed state"):
		return true, false, nil // systemd: installed, last run failed
	case err != nil:
		return false, false, err
	}
	return st != service.StatusUnknown, st == service.StatusRunning, nil
}

func (m serviceManager) Register(s Spec) error {
	svc, err := m.open(&s)
	if err != nil {
		return err
	}
	if err := svc.Install(); err != nil {
		return err
	}
	return configureWindowsService(WindowsServiceFor(s))
}

func (m serviceManager) Unregister() error {
	svc, err := m.open(nil)
	if err != nil {
		return err
	}
	return svc.Uninstall()
}

func (m serviceManager) Control(action string) error {
	svc, err := m.open(nil)
	if err != nil {
		return err
	}
	return service.Control(svc, action)
}
