package bytecache

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
)

func TestGetSetDel(t *testing.T) {
	c := New(1)
	get := func(key string) ([]byte, bool) {
		t.Helper()
		return c.Get([]byte("prefix:"), key)
	}
	if _, ok := get("a"); ok {
		t.Fatal("empty cache hit")
	}
	if !c.Set("a", []byte("one")) {
		t.Fatal("small entry refused")
	}
	if v, ok := get("a"); !ok || string(v) != "prefix:one" {
		t.Fatalf("got %q %v, want the value appended to dst", v, ok)
	}
	c.Set("a", []byte("two"))
	if v, _ := get("a"); string(v) != "prefix:two" {
		t.Fatalf("replaced value: %q", v)
	}
	// A value that does not fit is refused, and the key no longer holds its older value.
	if c.Set("a", make([]byte, MaxEntry)) {
		t.Fatal("oversized entry kept")
	}
	if _, ok := get("a"); ok {
		t.Fatal("the older value survived a refused replacement")
	}
	if !c.Set("b", make([]byte, MaxEntry-1)) {
		t.Fatal("largest entry refused")
	}
	if v, ok := get("b"); !ok || len(v) != len("prefix:")+MaxEntry-1 {
		t.Fatalf("largest entry: %d bytes, %v", len(v), ok)
	}
	c.Del("b")
	if _, ok := get("b"); ok {
		t.Fatal("deleted entry served")
	}
	var none *Cache
	if New(0) != nil || New(-1) != nil {
		t.Fatal("a budget ≤ 0 made a cache")
	}
	none.Del("a")
	if none.Set("a", nil) {
		t.Fatal("nil cache kept an entry")
	}
	if _, ok := none.Get(nil, "a"); ok || none.Stats() != (Stats{}) {
		t.Fatal("nil cache holds something")
	}
}

// TestBounded: writing three times the capacity keeps the memory taken within it, and the newest
// entries are served.
func TestBounded(t *testing.T) {
	for _, budget := range []int64{1, Granule + Granule/2, 2 * Granule} {
		c := New(budget)
		want := max(budget/Granule, 1) * Granule
		if got := c.Stats().Capacity; got != want {
			t.Fatalf("budget %d: capacity %d, want %d", budget, got, want)
		}
		v := make([]byte, 60<<10)
		n := int(3 * want / int64(len(v)))
		for i := range n {
			c.Set(fmt.Sprint(i), v)
		}
		s := c.Stats()
		if s.Bytes > uint64(want) || s.Entries == 0 || s.Entries >= uint64(n) {
			t.Fatalf("budget %d: %d entries in %d bytes after %d writes, capacity %d", budget, s.Entries, s.Bytes, n, want)
		}
		if got, ok := c.Get(nil, fmt.Sprint(n-1)); !ok || !bytes.Equal(got, v) {
			t.Fatalf("budget %d: newest entry not served", budget)
		}
	}
}

// TestOutsideTheHeap: the entries are not Go memory, so the collector neither marks them nor counts
// them toward its next cycle.
func TestOutsideTheHeap(t *testing.T) {
	live := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	c := New(Granule)
	before := live()
	v := make([]byte, 1000)
	for i := range 20_000 { // 20 MB of entries
		c.Set(fmt.Sprintf("did:ion:%040d", i), v)
	}
	grown := int64(live()) - int64(before)
	if s := c.Stats(); s.Entries < 15_000 {
		t.Fatalf("only %d entries kept", s.Entries)
	}
	if grown > 4<<20 {
		t.Fatalf("the Go heap grew by %d bytes holding 20 MB of entries", grown)
	}
	runtime.KeepAlive(c)
}
