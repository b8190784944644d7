package gcfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"testing"
)

func TestPercent(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name        string
		percent     int
		floor, live uint64
		want        int
	}{
		{"small heap: target raised to the floor", 50, 128 * mib, 16 * mib, 700},
		{"large heap: the configured percentage", 50, 128 * mib, 200 * mib, 50},
		{"floor just above: the configured one is more", 50, 128 * mib, 100 * mib, 50},
		{"tiny heap: capped", 50, 128 * mib, 1 * mib, MaxPercent},
		{"configured above the cap stays", 2000, 128 * mib, 1 * mib, 2000},
		{"no live heap reported", 50, 128 * mib, 0, 50},
		{"no floor", 50, 0, 16 * mib, 50},
	}
	for _, tc := range tests {
		if got := Percent(tc.percent, tc.floor, tc.live); got != tc.want {
			t.Errorf("%s: Percent(%d, %d, %d) = %d, want %d", tc.name, tc.percent, tc.floor, tc.live, got, tc.want)
		}
	}
}

var sink []byte

// cycles allocates n MiB of garbage a KiB at a time and returns the collections it caused.
func cycles(n int) uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	before := s[0].Value.Uint64()
	for range n << 10 {
		sink = make([]byte, 1<<10)
	}
	metrics.Read(s)
	return s[0].Value.Uint64() - before
}

// TestFloorCollectsLess: with a small live heap, the same garbage causes far fewer collections with a
// 64 MiB floor than at the bare percentage, and Stop puts the percentage back.
func TestFloorCollectsLess(t *testing.T) {
	old := debug.SetGCPercent(50)
	defer debug.SetGCPercent(old)
	runtime.GC()
	bare := cycles(64)

	floored := floorCycles(t, nil)
	if bare < 4 || floored*4 > bare {
		t.Fatalf("64 MiB of garbage: %d collections at 50 %%, %d with a 64 MiB floor; want at least 4× fewer", bare, floored)
	}
	t.Logf("64 MiB of garbage: %d collections at GOGC 50, %d with a 64 MiB floor", bare, floored)
}

// flag is a Demand whose answer the test sets.
type flag struct{ busy atomic.Bool }

func (f *flag) Busy() bool { return f.busy.Load() }

// TestFloorFollowsDemand: the floor holds only while its demand is busy: idle, the garbage causes as
// many collections as without a floor; busy, as few as with one.
func TestFloorFollowsDemand(t *testing.T) {
	old := debug.SetGCPercent(50)
	defer debug.SetGCPercent(old)
	runtime.GC()
	bare := cycles(64)
	var d flag
	idle := floorCycles(t, &d)
	d.busy.Store(true)
	busy := floorCycles(t, &d)
	if bare < 4 || idle*2 < bare || busy*4 > bare {
		t.Fatalf("64 MiB of garbage: %d collections at 50 %%; with a 64 MiB floor, %d idle and %d busy; want idle about the same, busy at least 4× fewer",
			bare, idle, busy)
	}
	t.Logf("64 MiB of garbage: %d collections at GOGC 50; with a 64 MiB floor %d idle, %d busy", bare, idle, busy)
}

// floorCycles starts a 64 MiB floor at GC percent 50, returns the collections 64 MiB of garbage causes
// with it, and checks that Stop puts the percentage back.
func floorCycles(t *testing.T, d Demand) uint64 {
	t.Helper()
	f := Start(50, 64<<20, d, nil)
	runtime.GC() // the first adjustment after a collection
	runtime.GC()
	n := cycles(64)
	f.Stop()
	if got := debug.SetGCPercent(50); got != 50 {
		t.Errorf("after Stop the percentage is %d, want 50", got)
	}
	return n
}
