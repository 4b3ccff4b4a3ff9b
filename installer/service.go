package installer

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/kardianos/service"
)

// ServiceName is the agent's service name on every OS.
const ServiceName = "touchpoint-agent"

// RunFunc runs the agent until ctx ends.
type RunFunc func(ctx context.Context) error

// program adapts a RunFunc to kardianos/service: Start returns at once
// (Windows reports error 1053 otherwise) and Stop waits for a clean end.
type program struct {
	run    RunFunc
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

func (p *program) Start(service.Service) error {
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel, p.done = cancel, make(chan error, 1)
	go func() { p.done <- p.run(ctx) }()
	return nil
}

func (p *program) Stop(service.Service) error {
	var err error
	p.once.Do(func() {
		p.cancel()
		err = <-p.done
	})
	return err
}

// Config describes the service to the OS service manager.
func Config(args []string) *service.Config {
	return &service.Config{
		Name:        ServiceName,
		DisplayName: "Touchpoint dealer agent",
		Description: "Keeps this dealership's customer histories and syncs them with the Touchpoint hub.",
		Arguments:   args,
		Option: service.KeyValue{
			"Restart":                "on-failure",
			"OnFailure":              "restart",
			"DelayedAutoStart":       true,
			"StartType":              "automatic",
			"OnFailureDelayDuration": "5s",
		},
	}
}

// Run runs fn under the service manager when started by it, or in the
// foreground otherwise; either way it returns when the agent stops.
func Run(args []string, fn RunFunc) error {
	p := &program{run: fn}
	svc, err := service.New(p, Config(args))
	if err != nil {
		return fmt.Errorf("service: %w", err)
	}
	if service.Interactive() {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return fn(ctx)
	}
	return svc.Run()
}
