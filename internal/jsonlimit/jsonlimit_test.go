package jsonlimit_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/jsonlimit"
)

func TestDepth(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{``, 0},
		{`"x"`, 0},
		{`{}`, 1},
		{`{"a":[1,{"b":[]}]}`, 4},
		{`{"a":"[[[[{{{"}`, 1},
		{`{"a":"\"[[["}`, 1},
		{`{"a":"\\"}`, 1},
		{`[[]][[]]`, 2},
	}
	for _, tt := range tests {
		if got := jsonlimit.Depth([]byte(tt.in)); got != tt.want {
			t.Errorf("Depth(%s) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestCheck(t *testing.T) {
	deep := strings.Repeat("[", 20) + strings.Repeat("]", 20)
	tests := []struct {
		in   string
		want error
	}{
		{`{"a":1}`, nil},
		{deep, jsonlimit.ErrTooDeep},
		{strings.Repeat(" ", 101), jsonlimit.ErrTooLarge},
	}
	for _, tt := range tests {
		if err := jsonlimit.Check([]byte(tt.in), 100, 10); !errors.Is(err, tt.want) {
			t.Errorf("Check(%.20q) = %v, want %v", tt.in, err, tt.want)
		}
	}
}

// TestDepthLinear: one step per byte, whatever the input holds.
func TestDepthLinear(t *testing.T) {
	for _, n := range []int{1000, 2000} {
		in := []byte(strings.Repeat(`{"a":"\"[",`, n))
		if a := testing.AllocsPerRun(3, func() { jsonlimit.Depth(in) }); a != 0 {
			t.Fatalf("%v allocations for %d bytes", a, len(in))
		}
	}
}

func FuzzDepth(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"]"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if d := jsonlimit.Depth(data); d < 0 || d > len(data) {
			t.Fatalf("depth %d for %d bytes", d, len(data))
		}
	})
}
