//go:build !linux

package loadgen

import (
	"context"
	"errors"
	"time"
)

// eventLoop exists on Linux only (epoll): the open loop is not available elsewhere.
type eventLoop struct{}

func newEventLoop(context.Context, string, int, time.Duration, *recorder) (*eventLoop, error) {
	return nil, errors.New("the open loop needs Linux (epoll)")
}

func (*eventLoop) run(time.Time, time.Duration, []byte, []int, *pacer) (Dispatcher, error) {
	return Dispatcher{}, errors.New("the open loop needs Linux (epoll)")
}

func (*eventLoop) close() {}
