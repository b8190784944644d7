package credtest

import (
	"time"

	"github.com/ionode/ionode/internal/cputime"
)

// CPUTime is the process's CPU time (user + system). On a shared machine wall-clock rates understate
// what one core does; operations per CPU-second do not depend on how many other processes run. With
// -cpu 1 the benchmark loop is the only busy goroutine (the test server idles: caches are warm).
func CPUTime() time.Duration { return cputime.Self() }
