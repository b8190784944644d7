package gcfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
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

	f := Start(50, 64<<20)
	runtime.GC() // the first adjustment after a collection
	runtime.GC()
	floored := cycles(64)
	f.Stop()
	if got := debug.SetGCPercent(50); got != 50 {
		t.Errorf("after Stop the percentage is %d, want 50", got)
	}
	if bare < 4 || floored*4 > bare {
		t.Fatalf("64 MiB of garbage: %d collections at 50 %%, %d with a 64 MiB floor; want at least 4× fewer", bare, floored)
	}
	t.Logf("64 MiB of garbage: %d collections at GOGC 50, %d with a 64 MiB floor", bare, floored)
}
