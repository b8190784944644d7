package node

import (
	"strconv"
	"testing"
	"time"
)

// TestStatusLabel: every status is labelled as strconv formats it, and counting a resolution's status
// allocates nothing for the statuses resolutions answer with.
func TestStatusLabel(t *testing.T) {
	for status := 100; status < 600; status++ {
		if got := statusLabel(status); got != strconv.Itoa(status) {
			t.Fatalf("statusLabel(%d) = %q", status, got)
		}
	}
	m := NewMetrics()
	for _, status := range []int{200, 400, 404, 410} {
		m.observeResolution("ion", status, time.Millisecond) // the series exists
		if n := testing.AllocsPerRun(100, func() { m.observeResolution("ion", status, time.Millisecond) }); n != 0 {
			t.Errorf("counting a %d allocates %v times", status, n)
		}
	}
}
