package gcfloor

import (
	"testing"
	"time"
)

func TestRequestRate(t *testing.T) {
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		requests int
		elapsed  time.Duration
		want     bool
	}{
		{"at the rate", 5000, 5 * time.Second, true},
		{"above it", 30000, 6 * time.Second, true},
		{"just below it", 4999, 5 * time.Second, false},
		{"idle", 0, time.Minute, false},
		{"a burst in a long cycle", 2000, 2 * time.Minute, false},
		{"no time passed", 10, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := t0
			r := &RequestRate{MinPerSecond: 1000, Now: func() time.Time { return now }}
			if r.Busy() {
				t.Fatal("the first call only starts the count; it reported busy")
			}
			for range tc.requests {
				r.Add()
			}
			now = now.Add(tc.elapsed)
			if got := r.Busy(); got != tc.want {
				t.Errorf("%d requests in %v: busy %v, want %v", tc.requests, tc.elapsed, got, tc.want)
			}
		})
	}
}

// TestRequestRateCountsFromTheLastCall: each call measures only the requests since the one before.
func TestRequestRateCountsFromTheLastCall(t *testing.T) {
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	r := &RequestRate{MinPerSecond: 1000, Now: func() time.Time { return now }}
	r.Busy()
	for range 3000 {
		r.Add()
	}
	now = now.Add(time.Second)
	if !r.Busy() {
		t.Fatal("3,000 requests in 1 s: not busy")
	}
	for range 500 {
		r.Add()
	}
	now = now.Add(time.Second)
	if r.Busy() {
		t.Fatal("500 requests in the next second: still busy (the earlier 3,000 were counted again)")
	}
}
