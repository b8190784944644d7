//go:build !linux

package testnet

import (
	"errors"
	"time"
)

// CPUTime is btcd's CPU time so far; only Linux (/proc) can tell.
func (n *Node) CPUTime() (time.Duration, error) {
	return 0, errors.New("testnet: btcd CPU time is read from /proc (Linux only)")
}

// WaitIdle returns at once: btcd's CPU time is unknown here.
func (n *Node) WaitIdle(time.Duration) {}
