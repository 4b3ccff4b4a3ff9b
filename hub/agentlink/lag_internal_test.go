package agentlink

import (
	"context"
	"testing"
)

func TestEventually_WaitsForTheNodeToCatchUp(t *testing.T) {
	calls := 0
	if !eventually(context.Background(), func() bool { calls++; return calls == 4 }) {
		t.Fatal("gave up before the record arrived")
	}
}

func TestEventually_GivesUpWhenTheCallerLeaves(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if eventually(ctx, func() bool { return false }) {
		t.Fatal("reported a record that never came")
	}
}
