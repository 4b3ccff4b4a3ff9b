package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/raft"
	"github.com/touchpoint/touchpoint/hub/cluster"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// raftApplyTimeout bounds one proposal's wait for commit.
const raftApplyTimeout = 10 * time.Second

// Apply commits cmds through Raft, on this node if it leads or through
// the leader otherwise, and returns one Result per command. It retries
// across leader changes until ctx ends.
func (s *Store) Apply(ctx context.Context, cmds []state.Command) ([]state.Result, error) {
	for {
		res, err := s.applyOnce(ctx, cmds)
		if err == nil || !errors.Is(err, cluster.ErrRetry) {
			return res, err
		}
		s.log.Debug("write will be retried", "err", err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %v", ErrTimeout, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (s *Store) applyOnce(ctx context.Context, cmds []state.Command) ([]state.Result, error) {
	if s.raft.State() == raft.Leader {
		return s.ApplyLocal(cmds)
	}
	leader, ok := s.leaderNode()
	if !ok {
		return nil, fmt.Errorf("%w: %w", cluster.ErrRetry, ErrNotLeader)
	}
	return s.member.Forward(ctx, leader.HTTPAddr, cmds)
}

// ApplyLocal proposes cmds on this node, which must be the leader.
func (s *Store) ApplyLocal(cmds []state.Command) ([]state.Result, error) {
	data, err := protocol.Marshal(&state.Entry{Time: time.Now().UnixNano(), Commands: cmds})
	if err != nil {
		return nil, fmt.Errorf("encode entry: %w", err)
	}
	start := time.Now()
	f := s.raft.Apply(data, raftApplyTimeout)
	if err := f.Error(); err != nil {
		if isLeadershipError(err) {
			return nil, fmt.Errorf("%w: %w", cluster.ErrRetry, err)
		}
		return nil, fmt.Errorf("raft apply: %w", err)
	}
	res, ok := f.Response().([]state.Result)
	if !ok {
		return nil, fmt.Errorf("raft apply: unexpected response %T", f.Response())
	}
	s.nudge.nudge()
	if s.cfg.OnCommit != nil {
		s.cfg.OnCommit(time.Since(start))
	}
	return res, nil
}

func isLeadershipError(err error) bool {
	return errors.Is(err, raft.ErrNotLeader) || errors.Is(err, raft.ErrLeadershipLost) ||
		errors.Is(err, raft.ErrLeadershipTransferInProgress) || errors.Is(err, raft.ErrEnqueueTimeout) ||
		errors.Is(err, raft.ErrAbortedByRestore)
}

// IsRetryable reports whether a failed Apply may be sent again as is.
func IsRetryable(err error) bool {
	return errors.Is(err, cluster.ErrRetry) || errors.Is(err, ErrTimeout)
}

// ApplyOne commits one command and returns its result, turning a
// command-level error into an error.
func (s *Store) ApplyOne(ctx context.Context, t state.CommandType, body any) (state.Result, error) {
	cmd, err := state.NewCommand(t, body)
	if err != nil {
		return state.Result{}, err
	}
	res, err := s.Apply(ctx, []state.Command{cmd})
	if err != nil {
		return state.Result{}, err
	}
	if res[0].Error != "" {
		return res[0], state.ErrorFromText(res[0].Error)
	}
	return res[0], nil
}
