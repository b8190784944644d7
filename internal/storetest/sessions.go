package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ionode/ionode/node/store"
)

// testSessions checks the request-record contract: create once, versioned compare-and-swap, expired
// records invisible and replaceable, delete, limits.
func testSessions(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	live := time.Now().Add(time.Hour)
	past := time.Now().Add(-time.Second)

	if _, _, ok, err := s.GetSession(ctx, "vp:missing"); err != nil || ok {
		t.Fatalf("get missing: ok=%v err=%v", ok, err)
	}
	created, err := s.PutSession(ctx, "vp:a", []byte("one"), live)
	if err != nil || !created {
		t.Fatalf("put: created=%v err=%v", created, err)
	}
	if created, err := s.PutSession(ctx, "vp:a", []byte("other"), live); err != nil || created {
		t.Fatalf("second put of a live id: created=%v err=%v, want false", created, err)
	}
	data, v, ok, err := s.GetSession(ctx, "vp:a")
	if err != nil || !ok || v != 1 || string(data) != "one" {
		t.Fatalf("get: %q v%d ok=%v err=%v, want \"one\" v1", data, v, ok, err)
	}
	if swapped, err := s.SwapSession(ctx, "vp:a", 1, []byte("two"), live); err != nil || !swapped {
		t.Fatalf("swap v1: swapped=%v err=%v", swapped, err)
	}
	if swapped, err := s.SwapSession(ctx, "vp:a", 1, []byte("stale"), live); err != nil || swapped {
		t.Fatalf("swap at a stale version: swapped=%v err=%v, want false", swapped, err)
	}
	data, v, ok, err = s.GetSession(ctx, "vp:a")
	if err != nil || !ok || v != 2 || string(data) != "two" {
		t.Fatalf("get after swap: %q v%d ok=%v err=%v, want \"two\" v2", data, v, ok, err)
	}

	// Swapping to an expiry in the past ends the record: invisible, not swappable, replaceable.
	if swapped, err := s.SwapSession(ctx, "vp:a", 2, []byte("ended"), past); err != nil || !swapped {
		t.Fatalf("swap to past expiry: swapped=%v err=%v", swapped, err)
	}
	if _, _, ok, err := s.GetSession(ctx, "vp:a"); err != nil || ok {
		t.Fatalf("expired record visible: ok=%v err=%v", ok, err)
	}
	if swapped, err := s.SwapSession(ctx, "vp:a", 3, []byte("late"), live); err != nil || swapped {
		t.Fatalf("swap of an expired record: swapped=%v err=%v, want false", swapped, err)
	}
	if created, err := s.PutSession(ctx, "vp:a", []byte("fresh"), live); err != nil || !created {
		t.Fatalf("put over an expired record: created=%v err=%v", created, err)
	}
	if data, v, ok, _ := s.GetSession(ctx, "vp:a"); !ok || v != 1 || string(data) != "fresh" {
		t.Fatalf("get after re-put: %q v%d ok=%v", data, v, ok)
	}
	if created, err := s.PutSession(ctx, "vp:born-dead", []byte("x"), past); err != nil || !created {
		t.Fatalf("put expired: created=%v err=%v", created, err)
	}
	if _, _, ok, _ := s.GetSession(ctx, "vp:born-dead"); ok {
		t.Fatal("record put with a past expiry is visible")
	}

	if err := s.DeleteSession(ctx, "vp:a"); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, _ := s.GetSession(ctx, "vp:a"); ok {
		t.Fatal("deleted record visible")
	}
	if err := s.DeleteSession(ctx, "vp:a"); err != nil {
		t.Fatalf("deleting a missing record: %v", err)
	}

	big := bytes.Repeat([]byte{1}, store.MaxSessionData+1)
	for name, call := range map[string]func() error{
		"empty id":  func() error { _, err := s.PutSession(ctx, "", nil, live); return err },
		"NUL id":    func() error { _, _, _, err := s.GetSession(ctx, "a\x00b"); return err },
		"long id":   func() error { return s.DeleteSession(ctx, string(make([]byte, store.MaxSessionID+1))) },
		"big data":  func() error { _, err := s.PutSession(ctx, "vp:big", big, live); return err },
		"big swap":  func() error { _, err := s.SwapSession(ctx, "vp:big", 1, big, live); return err },
		"empty get": func() error { _, _, _, err := s.GetSession(ctx, ""); return err },
	} {
		if err := call(); !errors.Is(err, store.ErrInvalidSession) {
			t.Errorf("%s: err = %v, want ErrInvalidSession", name, err)
		}
	}
}

// testSessionsConcurrentSwap has several writers race to move one record from a version: exactly one
// wins each round, as a single-use request needs.
func testSessionsConcurrentSwap(t *testing.T, open Open) {
	s := open(t)
	ctx := ctxFor(t)
	live := time.Now().Add(time.Hour)
	if _, err := s.PutSession(ctx, "vp:race", []byte("0"), live); err != nil {
		t.Fatal(err)
	}
	const writers, rounds = 4, 5
	for round := uint64(1); round <= rounds; round++ {
		var wins atomic.Int32
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				swapped, err := s.SwapSession(ctx, "vp:race", round, fmt.Appendf(nil, "%d-%d", round, w), live)
				if err != nil {
					t.Error(err)
				}
				if swapped {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Fatalf("round %d: %d writers swapped, want exactly 1", round, n)
		}
	}
	if _, v, _, _ := s.GetSession(ctx, "vp:race"); v != rounds+1 {
		t.Fatalf("version %d after %d rounds, want %d", v, rounds, rounds+1)
	}
}
