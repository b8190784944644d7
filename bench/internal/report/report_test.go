package report

import (
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestTablePrint(t *testing.T) {
	tab := Table{Title: "t"}
	tab.Add("rate", "%d ops/s", 12)
	tab.Add("pipe", "a|b")
	var b strings.Builder
	tab.Print(&b)
	for _, want := range []string{"== t ==", "rate  12 ops/s", "| rate | 12 ops/s |", `| pipe | a\|b |`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}

func TestFromRusage(t *testing.T) {
	u := FromRusage(&syscall.Rusage{Utime: syscall.Timeval{Sec: 1, Usec: 500_000}, Stime: syscall.Timeval{Usec: 250_000}, Maxrss: 2048})
	if u.CPU() != 1750*time.Millisecond || u.MaxRSS != 2<<20 {
		t.Fatalf("%+v", u)
	}
}

func TestReadMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc")
	}
	m := ReadMemory()
	if m.RSS <= 0 || m.HWM < m.RSS {
		t.Fatalf("%+v", m)
	}
}
