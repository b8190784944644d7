package loadgen

import (
	"syscall"
	"time"
)

// rusageThread is Linux's RUSAGE_THREAD (the syscall package names only SELF and CHILDREN).
const rusageThread = 1

// threadCPU is the calling OS thread's CPU time (user + system); the caller locks its goroutine to
// the thread.
func threadCPU() time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &r); err != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
