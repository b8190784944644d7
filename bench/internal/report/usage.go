package report

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Usage is a process's CPU time and memory high-water mark.
type Usage struct {
	User, System time.Duration
	MaxRSS       int64 // bytes (getrusage ru_maxrss)
	MinorFaults  int64 // page faults served without I/O (ru_minflt): first touches of memory, mostly
}

// CPU is user plus system time.
func (u Usage) CPU() time.Duration { return u.User + u.System }

// Sub is the CPU used since an earlier reading (MaxRSS stays the later high-water mark).
func (u Usage) Sub(earlier Usage) Usage {
	return Usage{User: u.User - earlier.User, System: u.System - earlier.System, MaxRSS: u.MaxRSS, MinorFaults: u.MinorFaults - earlier.MinorFaults}
}

// FromRusage converts a getrusage result (Linux: ru_maxrss in KiB).
func FromRusage(r *syscall.Rusage) Usage {
	if r == nil {
		return Usage{}
	}
	return Usage{
		User:        time.Duration(r.Utime.Nano()),
		System:      time.Duration(r.Stime.Nano()),
		MaxRSS:      r.Maxrss * 1024,
		MinorFaults: r.Minflt,
	}
}

// Self is this process's usage so far.
func Self() Usage {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return Usage{}
	}
	return FromRusage(&r)
}

// Memory is /proc/self/status's resident set figures, in bytes (0 where the file is missing).
type Memory struct {
	RSS, HWM int64 // VmRSS, VmHWM
}

// ReadMemory reads /proc/self/status.
func ReadMemory() Memory {
	var m Memory
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		var dst *int64
		switch k {
		case "VmRSS":
			dst = &m.RSS
		case "VmHWM":
			dst = &m.HWM
		default:
			continue
		}
		fields := strings.Fields(v)
		if len(fields) >= 1 {
			if n, err := strconv.ParseInt(fields[0], 10, 64); err == nil {
				*dst = n * 1024 // the file says kB
			}
		}
	}
	return m
}

// MiB formats bytes as mebibytes.
func MiB(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// RunQueueWait is the time this process's threads have spent runnable but waiting for a CPU (the
// second field of /proc/self/task/*/schedstat, summed; threads that already exited are not counted).
// On a shared machine it shows how much of a latency tail is other processes holding the cores.
func RunQueueWait() time.Duration {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return 0
	}
	var total int64
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + t.Name() + "/schedstat")
		if err != nil {
			continue
		}
		f := strings.Fields(string(b))
		if len(f) >= 2 {
			if ns, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				total += ns
			}
		}
	}
	return time.Duration(total)
}
