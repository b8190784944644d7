package blocking

import (
	"context"
	"errors"
	"testing"
)

func TestCall(t *testing.T) {
	v, err := Call(context.Background(), func() (int, error) { return 7, nil })
	if v != 7 || err != nil {
		t.Fatalf("Call = %d, %v; want 7, nil", v, err)
	}
	boom := errors.New("boom")
	if _, err := Call(context.Background(), func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	// A call that never returns on its own: Call returns when the context ends.
	release := make(chan struct{})
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if v, err := Call(ctx, func() (int, error) { <-release; return 1, nil }); v != 0 || !errors.Is(err, context.Canceled) {
		t.Fatalf("Call = %d, %v; want 0, context.Canceled", v, err)
	}
}
