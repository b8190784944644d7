package testnet

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"
)

// CPUTime is the user plus system CPU time btcd has used so far (from /proc/<pid>/stat, in clock
// ticks of 1/100 s): benchmarks use it to tell btcd's share of the work from their own.
func (n *Node) CPUTime() (time.Duration, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", n.cmd.Process.Pid))
	if err != nil {
		return 0, fmt.Errorf("testnet: btcd CPU time: %w", err)
	}
	// The fields after the parenthesised command name: state is the 3rd field, utime the 14th, stime the 15th.
	f := bytes.Fields(stat[bytes.LastIndexByte(stat, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("testnet: btcd CPU time: short /proc stat")
	}
	utime, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	stime, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("testnet: btcd CPU time: unreadable /proc stat")
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// WaitIdle waits, at most limit, until btcd has used under a tenth of a core for a second: after
// taking blocks it flushes its UTXO cache for a while, which a benchmark of its serving should not
// count. It returns at once where CPUTime is unknown.
func (n *Node) WaitIdle(limit time.Duration) {
	for start := time.Now(); time.Since(start) < limit; {
		before, err := n.CPUTime()
		if err != nil {
			return
		}
		time.Sleep(time.Second)
		if after, _ := n.CPUTime(); after-before < 100*time.Millisecond {
			return
		}
	}
}
