package installer

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"

	"github.com/kardianos/service"
)

// EventWriter is a service manager's log: the Windows event log.
type EventWriter interface {
	// Info writes an information event.
	Info(v ...any) error
	// Warning writes a warning event.
	Warning(v ...any) error
	// Error writes an error event.
	Error(v ...any) error
}

// EventLogHandler is a slog.Handler that writes each record as one event
// (the record in logfmt, without a timestamp: the event has one).
type EventLogHandler struct {
	w     EventWriter
	inner slog.Handler
	buf   *bytes.Buffer
	mu    *sync.Mutex
}

// NewEventLogHandler writes records at or above level to w.
func NewEventLogHandler(w EventWriter, level slog.Leveler) *EventLogHandler {
	buf := new(bytes.Buffer)
	inner := slog.NewTextHandler(buf, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})
	return &EventLogHandler{w: w, inner: inner, buf: buf, mu: new(sync.Mutex)}
}

// Enabled implements slog.Handler.
func (h *EventLogHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

// Handle implements slog.Handler.
func (h *EventLogHandler) Handle(ctx context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.buf.Reset()
	if err := h.inner.Handle(ctx, r); err != nil {
		return err
	}
	msg := strings.TrimRight(h.buf.String(), "\n")
	switch {
	case r.Level >= slog.LevelError:
		return h.w.Error(msg)
	case r.Level >= slog.LevelWarn:
		return h.w.Warning(msg)
	}
	return h.w.Info(msg)
}

// WithAttrs implements slog.Handler.
func (h *EventLogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &EventLogHandler{w: h.w, inner: h.inner.WithAttrs(attrs), buf: h.buf, mu: h.mu}
}

// WithGroup implements slog.Handler.
func (h *EventLogHandler) WithGroup(name string) slog.Handler {
	return &EventLogHandler{w: h.w, inner: h.inner.WithGroup(name), buf: h.buf, mu: h.mu}
}

// ServiceLogger returns a logger for the event log when the agent runs as
// a Windows service, where standard error goes nowhere; otherwise (a
// terminal, or systemd, which keeps standard error in the journal) it
// returns fallback.
func ServiceLogger(fallback *slog.Logger, level slog.Leveler) *slog.Logger {
	if currentOS != "windows" || service.Interactive() {
		return fallback
	}
	svc, err := service.New(newProgram(Service{}), &service.Config{Name: ServiceName})
	if err != nil {
		return fallback
	}
	w, err := svc.SystemLogger(nil)
	if err != nil {
		fallback.Warn("event log unavailable, logging to standard error", "err", err)
		return fallback
	}
	return slog.New(NewEventLogHandler(w, level))
}
