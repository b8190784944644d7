// Package cputime reads how much CPU time this process has used. On a shared machine wall-clock rates
// understate what a core does; work per CPU-second does not depend on how many other processes run.
package cputime

import (
	"syscall"
	"time"
)

// Self is the process's CPU time so far (user + system, all threads).
func Self() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
