package loadgen

import (
	"context"
	"testing"
	"time"
)

func TestNewPacerBoundsTheSpin(t *testing.T) {
	for _, tc := range []struct {
		name               string
		spin, interval     time.Duration
		wantMax, wantStart time.Duration
	}{
		{"spin below a quarter interval", 50 * time.Microsecond, time.Millisecond, 50 * time.Microsecond, 25 * time.Microsecond},
		{"a quarter of the interval caps it", 200 * time.Microsecond, 200 * time.Microsecond, 50 * time.Microsecond, 25 * time.Microsecond},
		{"off", 0, time.Millisecond, 0, 0},
		{"negative is off", -time.Microsecond, time.Millisecond, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPacer(tc.spin, tc.interval)
			if p.maxSpin != tc.wantMax || p.margin != tc.wantStart {
				t.Fatalf("maxSpin %v margin %v, want %v %v", p.maxSpin, p.margin, tc.wantMax, tc.wantStart)
			}
		})
	}
}

// TestPacerMarginFollowsTheMedian: fed lateness drawn from a fixed set, the margin settles at its
// median, and never leaves [0, maxSpin].
func TestPacerMarginFollowsTheMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		late []time.Duration // cycled
		want time.Duration
		tol  time.Duration
	}{
		{"median 20 µs", []time.Duration{5 * time.Microsecond, 20 * time.Microsecond, 35 * time.Microsecond}, 20 * time.Microsecond, 2 * time.Microsecond},
		{"late beyond the cap", []time.Duration{time.Millisecond}, 40 * time.Microsecond, 0},
		{"punctual", []time.Duration{0}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPacer(40*time.Microsecond, time.Millisecond)
			for i := range 10_000 {
				p.observe(tc.late[i%len(tc.late)])
				if p.margin < 0 || p.margin > p.maxSpin {
					t.Fatalf("margin %v outside [0, %v]", p.margin, p.maxSpin)
				}
			}
			if d := p.margin - tc.want; d < -tc.tol || d > tc.tol {
				t.Fatalf("margin %v, want %v ± %v", p.margin, tc.want, tc.tol)
			}
		})
	}
}

// TestPacerWait: wait never returns before the due time, and without a spin budget it only sleeps.
func TestPacerWait(t *testing.T) {
	for _, spin := range []time.Duration{0, 100 * time.Microsecond} {
		p := newPacer(spin, time.Millisecond)
		for range 20 {
			due := time.Now().Add(300 * time.Microsecond)
			if err := p.wait(context.Background(), due, sleepFor); err != nil {
				t.Fatal(err)
			}
			if now := time.Now(); now.Before(due) {
				t.Fatalf("spin %v: returned %v before due", spin, due.Sub(now))
			}
		}
		if p.sleeps == 0 {
			t.Errorf("spin %v: never slept", spin)
		}
		if spin == 0 && p.spun != 0 {
			t.Errorf("spin 0 busy-waited %v", p.spun)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := newPacer(0, time.Millisecond)
	start := time.Now()
	if err := p.wait(ctx, start.Add(time.Hour), sleepFor); err != nil {
		t.Fatal(err)
	}
	if p.sleeps != 0 {
		t.Fatalf("slept %d times with a cancelled context", p.sleeps)
	}
}

// sleepFor sleeps until the time it is given, as the event loop's wait does when no answer arrives.
func sleepFor(until time.Time) (bool, error) {
	time.Sleep(time.Until(until))
	return true, nil
}
