package report

import (
	"math"
	"runtime"
	"runtime/metrics"
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

func TestReadGC(t *testing.T) {
	before := ReadGC()
	runtime.GC()
	runtime.GC()
	d := ReadGC().Sub(before)
	if d.Cycles < 2 {
		t.Fatalf("%d cycles counted for two runtime.GC calls", d.Cycles)
	}
	sink = make([]byte, 1<<20)
	if a := ReadGC().Sub(before); a.AllocBytes < 1<<20 || a.AllocObjects < 1 {
		t.Fatalf("a 1 MiB allocation counted as %d bytes in %d objects", a.AllocBytes, a.AllocObjects)
	}
	if d.pauses == nil || histQuantile(d.pauses, 1) == "-" {
		t.Fatalf("no stop-the-world pause counted: %s", d)
	}
}

func TestHistQuantile(t *testing.T) {
	h := &metrics.Float64Histogram{Buckets: []float64{0, 0.001, 0.002, math.Inf(1)}, Counts: []uint64{98, 1, 1}}
	for _, tc := range []struct {
		q    float64
		want string
	}{{0.5, "≤ 1.000 ms"}, {0.99, "≤ 2.000 ms"}, {1, "> 2.000 ms"}} {
		if got := histQuantile(h, tc.q); got != tc.want {
			t.Errorf("q %v: %s, want %s", tc.q, got, tc.want)
		}
	}
	if got := histQuantile(&metrics.Float64Histogram{Buckets: []float64{0, 1}, Counts: []uint64{0}}, 0.5); got != "-" {
		t.Errorf("empty histogram: %s", got)
	}
}

var sink []byte
