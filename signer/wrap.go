package signer

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"time"
)

// wrapped forwards everything but Sign to the signer it wraps.
type wrapped struct{ inner Signer }

func (w wrapped) Name() string             { return w.inner.Name() }
func (w wrapped) Backend() string          { return w.inner.Backend() }
func (w wrapped) Algorithm() Algorithm     { return w.inner.Algorithm() }
func (w wrapped) Public() crypto.PublicKey { return w.inner.Public() }

// Checked verifies every signature s makes against s's public key before returning it. A token that has
// been swapped, a KMS key that was rotated under the same name, or a backend bug then fails with
// ErrBadSignature instead of anchoring a transaction Bitcoin rejects or issuing a credential nobody can
// verify. The check costs one verification per signing.
func Checked(s Signer) Signer { return checked{wrapped{s}} }

type checked struct{ wrapped }

func (c checked) Sign(ctx context.Context, data []byte) ([]byte, error) {
	sig, err := c.inner.Sign(ctx, data)
	if err != nil {
		return nil, err
	}
	if !Verify(c.inner.Public(), data, sig) {
		return nil, fmt.Errorf("%w (%s)", ErrBadSignature, c.inner.Name())
	}
	return sig, nil
}

// Backoff says how Retry retries.
type Backoff struct {
	Attempts int           // total attempts; default 4
	First    time.Duration // wait before the second attempt; default 200ms, doubled each time
	Max      time.Duration // longest wait; default 5s
	// ThrottleFor is how long throttling (ErrThrottled) is waited out: throttled attempts do not count
	// against Attempts, so a KMS at its rate limit slows signings down rather than failing them. Default 2m.
	ThrottleFor time.Duration
}

// Retry retries signings that fail with ErrTransient (a throttle, a dropped session), waiting with
// exponential backoff, until ctx ends. Signing has no side effect, so a retry can never anchor or issue
// twice; other errors (wrong PIN, missing key) return at once.
func Retry(s Signer, b Backoff) Signer {
	if b.Attempts <= 0 {
		b.Attempts = 4
	}
	if b.First <= 0 {
		b.First = 200 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 5 * time.Second
	}
	if b.ThrottleFor <= 0 {
		b.ThrottleFor = 2 * time.Minute
	}
	return retrying{wrapped{s}, b}
}

type retrying struct {
	wrapped
	b Backoff
}

func (r retrying) Sign(ctx context.Context, data []byte) ([]byte, error) {
	wait := r.b.First
	throttledUntil := time.Now().Add(r.b.ThrottleFor)
	for attempt, failures := 1, 1; ; attempt++ {
		sig, err := r.inner.Sign(ctx, data)
		throttled := errors.Is(err, ErrThrottled) && time.Now().Before(throttledUntil)
		if err == nil || !errors.Is(err, ErrTransient) || (!throttled && failures >= r.b.Attempts) {
			if err != nil && attempt > 1 {
				err = fmt.Errorf("after %d attempts: %w", attempt, err)
			}
			return sig, err
		}
		if !throttled {
			failures++
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%w (last error: %w)", ctx.Err(), err)
		case <-t.C:
		}
		wait = min(2*wait, r.b.Max)
	}
}

// probeDigest is what Check signs: a fixed digest that is not the hash of anything the node signs.
var probeDigest = []byte("ionode signer health probe 00000")

// Check signs a probe and verifies it: the signer's health for /readyz and for start-up, where a wrong
// PIN or a missing key must fail with one clear line.
func Check(ctx context.Context, s Signer) error {
	sig, err := s.Sign(ctx, probeDigest)
	if err != nil {
		return fmt.Errorf("signer %s: %w", s.Name(), err)
	}
	if !Verify(s.Public(), probeDigest, sig) {
		return fmt.Errorf("signer %s: %w", s.Name(), ErrBadSignature)
	}
	return nil
}
