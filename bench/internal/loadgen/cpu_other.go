//go:build !linux

package loadgen

import "time"

// threadCPU is unknown outside Linux: the dispatcher's CPU is reported as 0.
func threadCPU() time.Duration { return 0 }
