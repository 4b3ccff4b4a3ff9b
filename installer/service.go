package installer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/kardianos/service"
)

// Exit statuses of the agent under a service manager. The systemd unit
// sets RestartPreventExitStatus=78, so a failed start check is not retried.
const (
	ExitFailure = 1
	ExitConfig  = 78 // EX_CONFIG: not enrolled, bad config, newer data directory
)

// stopTimeout bounds a graceful stop: inside systemd's TimeoutStopSec=30
// and the Windows service manager's default wait.
const stopTimeout = 20 * time.Second

// RunFunc runs the agent until ctx ends.
type RunFunc func(ctx context.Context) error

// Service is the agent as a service manager runs it.
type Service struct {
	// Check runs before the agent starts and must be quick. Its error is
	// final (restarting cannot fix it), so the service manager is told not
	// to retry.
	Check func() error
	// Run runs the agent until ctx ends.
	Run RunFunc
	// Log receives the service's own messages.
	Log *slog.Logger
}

// program adapts a Service to kardianos/service: Start returns at once
// (Windows reports error 1053 otherwise), Stop waits for a clean end, and
// an agent that ends by itself exits the process so that the service
// manager restarts it.
type program struct {
	svc         Service
	exit        func(code int)
	stopTimeout time.Duration

	mu       sync.Mutex
	cancel   context.CancelFunc
	done     chan error
	stopping bool
}

func newProgram(s Service) *program {
	return &program{svc: s, exit: os.Exit, stopTimeout: stopTimeout}
}

func (p *program) Start(service.Service) error {
	if err := p.svc.Check(); err != nil {
		return fmt.Errorf("%w: %w", ErrStartCheck, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.mu.Lock()
	p.cancel, p.done = cancel, make(chan error, 1)
	p.mu.Unlock()
	p.svc.Log.Info("started by the service manager")
	go func() {
		err := p.svc.Run(ctx)
		p.mu.Lock()
		stopping := p.stopping
		p.mu.Unlock()
		p.done <- err
		if !stopping {
			p.svc.Log.Error("agent ended without being asked to stop: exiting so the service manager restarts it", "err", err)
			p.exit(ExitFailure)
		}
	}()
	return nil
}

func (p *program) Stop(service.Service) error {
	p.mu.Lock()
	if p.stopping || p.cancel == nil {
		p.mu.Unlock()
		return nil
	}
	p.stopping = true
	cancel, done := p.cancel, p.done
	p.mu.Unlock()
	p.svc.Log.Info("stop requested by the service manager")
	cancel()
	select {
	case err := <-done:
		return err
	case <-time.After(p.stopTimeout):
		return fmt.Errorf("agent did not stop within %s", p.stopTimeout)
	}
}

// Run runs s under the service manager when started by it, or in the
// foreground otherwise; either way it returns when the agent stops. Under
// a service manager a failed Check exits the process with ExitConfig.
func Run(s Service) error {
	if service.Interactive() {
		if err := s.Check(); err != nil {
			return err
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return s.Run(ctx)
	}
	p := newProgram(s)
	svc, err := service.New(p, &service.Config{Name: ServiceName})
	if err != nil {
		return fmt.Errorf("service: %w", err)
	}
	err = svc.Run()
	if errors.Is(err, ErrStartCheck) {
		s.Log.Error("agent service cannot start", "err", err)
		p.exit(ExitConfig)
	}
	return err
}
