package gcfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"
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

// TestFloorCollectsLess: with a small live heap, 64 MiB of garbage causes at most a few collections
// under a 64 MiB floor, and Stop puts the percentage back.
func TestFloorCollectsLess(t *testing.T) {
	old := debug.SetGCPercent(50)
	defer debug.SetGCPercent(old)
	runtime.GC()
	bare := cycles(64)

	floored := floorCycles(t, nil)
	// Under the floor the heap may grow to 64 MiB, so 64 MiB of garbage fits in a cycle or two. Without
	// it there are usually many more, but how many moves with how long each mark phase takes (what is
	// allocated during one counts as live, so on a loaded machine a single cycle can absorb it all): only
	// the floor's side has a bound (TestFloorFollowsDemand checks the percentage itself).
	if floored > 3 {
		t.Fatalf("64 MiB of garbage: %d collections with a 64 MiB floor, want at most 3 (%d at 50 %%)", floored, bare)
	}
	t.Logf("64 MiB of garbage: %d collections at GOGC 50, %d with a 64 MiB floor", bare, floored)
}

// flag is a Demand whose answer the test sets.
type flag struct{ busy atomic.Bool }

func (f *flag) Busy() bool { return f.busy.Load() }

// TestFloorFollowsDemand: the floor raises the percentage at the first collection after its demand
// turns busy, and puts the configured one back at the first after it turns idle. (Checked on the
// percentage, not by counting collections: how many a burst of garbage causes moves with how long each
// mark phase takes on a loaded machine.)
func TestFloorFollowsDemand(t *testing.T) {
	old := debug.SetGCPercent(50)
	defer debug.SetGCPercent(old)
	var d flag
	f := Start(50, 64<<20, &d, nil)
	defer f.Stop()
	runtime.GC()
	runtime.GC()
	if p := gcPercent(t); p != 50 {
		t.Fatalf("idle: GC percent %d after two collections, want 50", p)
	}
	d.busy.Store(true)
	if p := awaitPercent(t, func(p int64) bool { return p > 50 }); p <= 50 {
		t.Fatalf("busy: GC percent %d, want it raised for the 64 MiB floor", p)
	}
	d.busy.Store(false)
	if p := awaitPercent(t, func(p int64) bool { return p == 50 }); p != 50 {
		t.Fatalf("idle again: GC percent %d, want 50", p)
	}
}

// awaitPercent collects until the GC percentage satisfies ok (the floor adjusts in a finalizer, which
// runs soon after a collection, not within it), for at most 5 s, and returns the last one seen.
func awaitPercent(t *testing.T, ok func(int64) bool) int64 {
	t.Helper()
	var p int64
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		runtime.GC()
		if p = gcPercent(t); ok(p) {
			break
		}
	}
	return p
}

// gcPercent is the runtime's GC percentage, read without setting it.
func gcPercent(t *testing.T) int64 {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Fatal("the runtime does not report /gc/gogc:percent")
	}
	return int64(s[0].Value.Uint64())
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
