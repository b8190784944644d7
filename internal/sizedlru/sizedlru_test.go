package sizedlru

import "testing"

func size(k string, v []byte) int64 { return int64(len(k) + len(v)) }

// held is the bytes of the entries l holds, counted again from them.
func held(l *LRU[[]byte]) int64 {
	var n int64
	for _, k := range l.Keys() {
		v, _ := l.Peek(k)
		n += size(k, v)
	}
	return n
}

func TestCountsWhatItHolds(t *testing.T) {
	tests := []struct {
		name string
		run  func(l *LRU[[]byte])
		keep []string // keys that must still be held
		drop []string // keys that must be gone
	}{
		{"a key replaced often is counted once", func(l *LRU[[]byte]) {
			l.Add("other", make([]byte, 100))
			for range 5000 {
				l.Add("k", make([]byte, 100))
			}
		}, []string{"other", "k"}, nil},
		{"over budget evicts the oldest", func(l *LRU[[]byte]) {
			for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"} {
				l.Add(k, make([]byte, 99))
			}
		}, []string{"k", "j"}, []string{"a"}},
		{"an entry over an eighth of the budget is not kept", func(l *LRU[[]byte]) {
			l.Add("small", make([]byte, 10))
			l.Add("huge", make([]byte, 200))
		}, []string{"small"}, []string{"huge"}},
		{"removed and grown", func(l *LRU[[]byte]) {
			l.Add("a", make([]byte, 50))
			l.Add("b", make([]byte, 50))
			l.Remove("a")
		}, []string{"b"}, []string{"a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := New(1000, size)
			tc.run(l)
			if l.Bytes() != held(l) || l.Bytes() > 1000 {
				t.Fatalf("counted %d bytes, holding %d (budget 1000)", l.Bytes(), held(l))
			}
			for _, k := range tc.keep {
				if _, ok := l.Peek(k); !ok {
					t.Errorf("%s was dropped", k)
				}
			}
			for _, k := range tc.drop {
				if _, ok := l.Peek(k); ok {
					t.Errorf("%s is still held", k)
				}
			}
		})
	}
}

// TestGrow: bytes counted through grow (an entry grown in place) evict until the budget is kept.
func TestGrow(t *testing.T) {
	type entry struct{ n int64 }
	l := New(1000, func(_ string, e *entry) int64 { return e.n })
	a, b := &entry{100}, &entry{100}
	l.Add("a", a)
	l.Add("b", b)
	b.n += 850
	l.grow(850)
	if _, ok := l.Peek("a"); ok || l.Bytes() != 950 {
		t.Fatalf("a held %v, %d bytes counted; want a evicted and 950", ok, l.Bytes())
	}
}
