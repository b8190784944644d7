//go:build unix

package loadgen

import (
	"syscall"
	"time"
)

// sleepUntil blocks the calling OS thread in nanosleep until due. Go's own timers fire late by half a
// millisecond on average on Linux (the netpoller sleeps in epoll_wait with a millisecond timeout,
// golang/go#44343): an open loop dispatched by them counts that lateness as the server's latency. The
// caller locks its goroutine to the thread.
func sleepUntil(due time.Time) {
	for {
		w := time.Until(due)
		if w <= 0 {
			return
		}
		ts := syscall.NsecToTimespec(int64(w))
		if err := syscall.Nanosleep(&ts, nil); err == nil {
			return
		}
		// EINTR: sleep again for what is left.
	}
}
