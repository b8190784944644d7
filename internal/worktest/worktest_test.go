package worktest

import (
	"strings"
	"testing"
)

// TestCheck: the check passes linear costs and fails quadratic ones (so a test built on it can fail).
func TestCheck(t *testing.T) {
	tests := []struct {
		name         string
		small, large Cost
		ok           bool
	}{
		{"linear", Cost{1000, 1 << 20}, Cost{2000, 2 << 20}, true},
		{"growth step", Cost{1000, 1 << 20}, Cost{2500, 5 << 19}, true},
		{"quadratic allocations", Cost{1000, 1 << 20}, Cost{4000, 2 << 20}, false},
		{"quadratic bytes", Cost{1000, 1 << 20}, Cost{2000, 4 << 20}, false},
		{"tiny counts", Cost{1, 100}, Cost{10, 1000}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := check(tc.small, tc.large, 1, 2); (err == nil) != tc.ok {
				t.Fatalf("check = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

// TestMeasure: a run that copies its input once per unit is caught as quadratic.
func TestMeasure(t *testing.T) {
	quadratic := func(in []byte) {
		s := ""
		for _, c := range in {
			s = s + string(c) // copies what it has so far, every time
		}
		_ = s
	}
	gen := func(n int) []byte { return []byte(strings.Repeat("x", n)) }
	small, large := gen(2000), gen(4000)
	cs := Measure(2, func() { quadratic(small) })
	cl := Measure(2, func() { quadratic(large) })
	if check(cs, cl, len(small), len(large)) == nil {
		t.Fatalf("quadratic copy not caught: %+v then %+v", cs, cl)
	}
}
