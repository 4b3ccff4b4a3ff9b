package installer

import (
	"fmt"
	"log/slog"
	"reflect"
	"testing"
)

// eventRecorder stands in for the Windows event log.
type eventRecorder struct{ events []string }

func (r *eventRecorder) add(kind string, v []any) error {
	r.events = append(r.events, kind+": "+fmt.Sprint(v...))
	return nil
}
func (r *eventRecorder) Info(v ...any) error    { return r.add("info", v) }
func (r *eventRecorder) Warning(v ...any) error { return r.add("warning", v) }
func (r *eventRecorder) Error(v ...any) error   { return r.add("error", v) }

// Each record becomes one event of the matching type, without a timestamp
// (the event has its own) and with the logger's attributes.
func TestEventLogHandler_OneEventPerRecord(t *testing.T) {
	rec := &eventRecorder{}
	log := slog.New(NewEventLogHandler(rec, slog.LevelInfo)).With("component", "hublink")
	log.Debug("dropped")
	log.Info("connected to hub", "hub", "hub1:7443")
	log.WithGroup("sync").Warn("outbox growing", "len", 12)
	log.Error("store failed", "err", "disk full")
	want := []string{
		`info: level=INFO msg="connected to hub" component=hublink hub=hub1:7443`,
		`warning: level=WARN msg="outbox growing" component=hublink sync.len=12`,
		`error: level=ERROR msg="store failed" component=hublink err="disk full"`,
	}
	if !reflect.DeepEqual(rec.events, want) {
		t.Fatalf("events:\n%q\nwant\n%q", rec.events, want)
	}
}
