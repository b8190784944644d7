package pebble

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestSweepSessionsByExpiry: a sweep deletes the records expired at its time, keeps live ones (also one
// swapped to a later expiry after its first expiry was indexed), and leaves index entries only for
// records still live, so that the next sweep reads no more than what expired since.
func TestSweepSessionsByExpiry(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	now := time.Now()
	put := func(id string, expires time.Time) {
		t.Helper()
		if ok, err := s.PutSession(ctx, id, []byte("data"), expires); !ok || err != nil {
			t.Fatalf("put %s: %v %v", id, ok, err)
		}
	}
	for i := range 50 {
		put(fmt.Sprintf("old-%d", i), now.Add(time.Minute))
		put(fmt.Sprintf("live-%d", i), now.Add(time.Hour))
	}
	put("extended", now.Add(time.Minute))
	if ok, err := s.SwapSession(ctx, "extended", 1, []byte("data"), now.Add(2*time.Hour)); !ok || err != nil {
		t.Fatalf("swap: %v %v", ok, err)
	}
	if err := s.DeleteSession(ctx, "live-0"); err != nil {
		t.Fatal(err)
	}

	s.wmu.Lock()
	err := s.sweepSessions(now.Add(30 * time.Minute))
	s.wmu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	stored := func(id string) bool {
		v, err := s.get(nameKey(prefixSession, id))
		if err != nil {
			t.Fatal(err)
		}
		return v != nil
	}
	for i := range 50 {
		if stored(fmt.Sprintf("old-%d", i)) {
			t.Fatalf("old-%d expired but is still stored", i)
		}
		if i > 0 && !stored(fmt.Sprintf("live-%d", i)) {
			t.Fatalf("live-%d was swept", i)
		}
	}
	if !stored("extended") {
		t.Fatal("a record swapped to a later expiry was swept at its first expiry")
	}
	var entries int
	if err := s.scan(ctx, []byte{prefixSessionExp}, []byte{prefixSessionExp + 1}, func(k, _ []byte) (bool, error) {
		if exp := time.Unix(0, int64(be64ToUint(k[1:9]))); !exp.After(now.Add(30 * time.Minute)) {
			t.Errorf("index entry %q expiring at %s survived the sweep", k[9:], exp)
		}
		entries++
		return true, nil
	}); err != nil {
		t.Fatal(err)
	}
	// 50 live records (one deleted, whose entry waits for its time) and the extended one.
	if entries != 51 {
		t.Fatalf("%d index entries after the sweep, want 51", entries)
	}
}

func be64ToUint(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}
