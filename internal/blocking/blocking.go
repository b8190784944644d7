// Package blocking lets a caller with a context use a client whose calls take none (btcsuite's
// rpcclient): the caller returns when its context ends, and the abandoned call finishes in the
// background.
package blocking

import "context"

// Call runs f and returns its result, or ctx's error as soon as ctx ends. f keeps running after an
// early return; its result is then dropped.
func Call[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1) // buffered: an abandoned f does not block forever on the send
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
