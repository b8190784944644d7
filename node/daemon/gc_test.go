package daemon

import (
	"log/slog"
	"os"
	"runtime/debug"
	"testing"
)

func TestApplyGCPercent(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })
	tests := []struct {
		name    string
		gogc    string // "" : unset
		percent int
		want    int
	}{
		{"configured", "", 50, 50},
		{"zero leaves Go's default", "", 0, 100},
		{"GOGC wins", "200", 50, 100},
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
			ApplyGCPercent(tc.percent, log)
			if got := debug.SetGCPercent(100); got != tc.want {
				t.Errorf("GC percent = %d, want %d", got, tc.want)
			}
		})
	}
}
