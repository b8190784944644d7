package tracewait

import (
	"bytes"
	"runtime"
	rtrace "runtime/trace"
	"sync"
	"testing"
	"time"
)

// TestRead traces goroutines handing work to each other across two forced collections: the mark phases
// and the waits are found.
func TestRead(t *testing.T) {
	var buf bytes.Buffer
	if err := rtrace.Start(&buf); err != nil {
		t.Skip("a trace is already running:", err)
	}
	ch := make(chan []byte)
	var wg sync.WaitGroup
	wg.Go(func() {
		for b := range ch {
			_ = b
		}
	})
	for i := range 2000 {
		ch <- make([]byte, 1024)
		if i == 500 || i == 1500 {
			runtime.GC()
		}
	}
	close(ch)
	wg.Wait()
	rtrace.Stop()
	res, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if res.Phases < 2 || res.InMark <= 0 || res.InMark >= res.Span {
		t.Fatalf("%d mark phases, %s of a %s trace with two collections", res.Phases, res.InMark, res.Span)
	}
	if len(res.Outside)+len(res.Inside) < 100 {
		t.Fatalf("%d + %d waits for 2,000 hand-offs", len(res.Outside), len(res.Inside))
	}
	t.Log(res)
}

func TestReadNotATrace(t *testing.T) {
	if _, err := Read(bytes.NewReader([]byte("not a trace"))); err == nil {
		t.Fatal("no error for bytes that are not a trace")
	}
}

func TestWaits(t *testing.T) {
	w := Waits{1, 2, 3, 4, 5, 6, 7, 8, 9, 10 * time.Millisecond}
	if got := w.Quantile(0.5); got != 5 { // nearest rank: the 5th of 10
		t.Errorf("p50 %d", got)
	}
	if got := w.Quantile(0.99); got != 10*time.Millisecond {
		t.Errorf("p99 %s", got)
	}
	if got := w.Over(time.Millisecond); got != 1 {
		t.Errorf("%d over 1 ms", got)
	}
	if (Waits{}).Quantile(0.5) != 0 {
		t.Error("empty waits")
	}
}
