//go:build !unix

package loadgen

import "time"

// sleepUntil waits until due with Go's timer (see sleep_unix.go for why unix systems do not).
func sleepUntil(due time.Time) { time.Sleep(time.Until(due)) }
