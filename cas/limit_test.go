package cas

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

func TestReadAtMostExtremes(t *testing.T) {
	data := []byte("0123456789")
	tests := []struct {
		name          string
		maxSize, hint int64
		want          error
	}{
		{"max int64", math.MaxInt64, math.MaxInt64, nil},
		{"max int64, no hint", math.MaxInt64, -1, nil},
		{"huge hint", 10, math.MaxInt64, nil},
		{"negative hint", 10, math.MinInt64, nil},
		{"one short", 9, 10, ErrTooLarge},
		{"zero", 0, 0, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &countingReader{data: data, step: 3}
			got, err := ReadAtMost(r, tt.maxSize, tt.hint)
			if !errors.Is(err, tt.want) || (err == nil && !bytes.Equal(got, data)) {
				t.Fatalf("got %q, %v; want %v", got, err, tt.want)
			}
			if cap(got) > 1<<20 {
				t.Errorf("allocated %d bytes for %d", cap(got), len(data))
			}
		})
	}
	if _, err := ReadAtMost(bytes.NewReader(data), -1, 0); err == nil {
		t.Error("negative maximum accepted")
	}
}
