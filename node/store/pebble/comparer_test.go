package pebble

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2"
)

// TestComparerSplit checks Split's contract (pebble's base.Split doc) over keys of every kind. Pebble's
// own CheckComparer assumes a key stays valid with its leading bytes cut off, which a layout whose first
// byte names the record kind does not meet, so the three properties are checked here directly.
func TestComparerSplit(t *testing.T) {
	var keys [][]byte
	for _, s := range []string{"a", "EiA", "EiAa", "EiB", "EiAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		for _, n := range []struct {
			txnum uint64
			index uint32
		}{{0, 0}, {1, 0}, {1, 1}, {256, 0}, {1 << 40, 7}, {^uint64(0), ^uint32(0)}} {
			keys = append(keys, operationKey(s, n.txnum, n.index), appendOpByTxKey(nil, n.txnum, n.index, s),
				retryKey(time.Unix(0, int64(n.txnum>>1)), uint64(n.index)))
		}
		keys = append(keys, operationPrefix(s), nameKey(prefixGeneration, s), nameKey(prefixCache, s),
			nameKey(prefixPendingDID, s), utxoKey(s, 0), utxoKey(s, 1<<24))
	}
	keys = append(keys, numberKey(prefixTransaction, 0), numberKey(prefixTransaction, 1<<63), keyCursor, keyGenerationCounter)
	cmp := comparer.Compare
	prefix := func(k []byte) []byte { return k[:comparer.Split(k)] }
	for _, a := range keys {
		if p := prefix(a); len(p) < len(a) && cmp(p, a) >= 0 {
			t.Errorf("prefix %x of %x does not sort before it", p, a)
		}
		for _, b := range keys {
			c := cmp(a, b)
			pc := cmp(prefix(a), prefix(b))
			if c <= 0 && pc > 0 {
				t.Errorf("%x <= %x but prefix %x > %x", a, b, prefix(a), prefix(b))
			}
			if pc < 0 && c >= 0 {
				t.Errorf("prefix %x < %x but %x >= %x", prefix(a), prefix(b), a, b)
			}
			if pc == 0 && c != comparer.ComparePointSuffixes(a[len(prefix(a)):], b[len(prefix(b)):]) {
				t.Errorf("same prefix, %x vs %x: Compare disagrees with the suffixes' order", a, b)
			}
		}
	}
	tests := []struct {
		key  []byte
		want int
	}{
		{operationKey("EiA", 5, 2), len(operationPrefix("EiA"))},
		{operationKey("a", 0, 0), len(operationPrefix("a"))},
		{operationPrefix("EiA"), len(operationPrefix("EiA"))},
		{nameKey(prefixGeneration, "EiA"), len("gEiA")},
		{appendOpByTxKey(nil, 5, 2, "a"), len(appendOpByTxKey(nil, 5, 2, "a"))},
		{[]byte{prefixOperation}, 1},
		{nil, 0},
	}
	for _, tt := range tests {
		if got := splitKey(tt.key); got != tt.want {
			t.Errorf("splitKey(%x) = %d, want %d", tt.key, got, tt.want)
		}
	}
	if got := comparer.Separator(nil, operationKey("a", 1, 0), operationKey("b", 0, 0)); !bytes.Equal(got, operationKey("a", 1, 0)) {
		t.Errorf("Separator shortened a key: %x", got)
	}
}

func TestOpenStoreWithAnotherKeyOrder(t *testing.T) {
	dir := t.TempDir()
	db, err := pebble.Open(dir, &pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "sync again") {
		t.Fatalf("Open of a store with the default comparer: %v, want an error saying to sync again", err)
	}
}
