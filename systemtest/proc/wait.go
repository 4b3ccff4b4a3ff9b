package proc

import (
	"fmt"
	"time"
)

// WaitFor calls fn every 50 ms until it returns nil; once timeout has
// passed it returns fn's last error, saying what was awaited.
func WaitFor(timeout time.Duration, what string, fn func() error) error {
	return WaitEvery(timeout, 50*time.Millisecond, what, fn)
}

// WaitEvery is WaitFor calling fn every interval.
func WaitEvery(timeout, every time.Duration, what string, fn func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := fn()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not true after %s: %w", what, timeout, err)
		}
		time.Sleep(every)
	}
}
