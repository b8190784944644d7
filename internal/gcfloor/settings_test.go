package gcfloor

import (
	"log/slog"
	"os"
	"runtime/debug"
	"testing"
)

func TestApply(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })
	tests := []struct {
		name    string
		gogc    string // "" : unset
		percent int
		floorMB int
		want    int
	}{
		{"configured", "", 50, 0, 50},
		{"zero is Go's default", "", 0, 0, 100},
		{"GOGC wins", "200", 50, 0, 100},
		{"GOGC wins over the floor", "200", 50, 128, 100},
		// The test process's live heap is a few MiB: a 128 MiB floor raises the percentage.
		{"the floor raises it", "", 50, 128, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			if tc.gogc != "" {
				t.Setenv("GOGC", tc.gogc)
			} else if v, ok := os.LookupEnv("GOGC"); ok {
				t.Setenv("GOGC", v) // restored after the test
				os.Unsetenv("GOGC")
			}
			f := Apply(tc.percent, tc.floorMB, nil, log)
			got := debug.SetGCPercent(100)
			if f != nil {
				f.Stop()
			}
			if (f != nil) != (tc.floorMB > 0 && tc.gogc == "") {
				t.Errorf("floor started: %v", f != nil)
			}
			if tc.want < 0 && got <= tc.percent || tc.want >= 0 && got != tc.want {
				t.Errorf("GC percent = %d, want %d (-1: more than %d)", got, tc.want, tc.percent)
			}
		})
	}
}
