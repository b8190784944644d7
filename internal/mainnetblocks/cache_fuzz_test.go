package mainnetblocks

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadCache: a damaged cache file is an error, never a panic or an unbounded allocation (the
// head is at most 1 MiB, the block count bounded, each block bounded by btcd's wire limits).
func FuzzReadCache(f *testing.F) {
	dir := f.TempDir()
	if _, err := Build(Config{Seed: 3, Transactions: 50}, 1, dir); err != nil {
		f.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		f.Fatalf("cache directory: %v, %v", entries, err)
	}
	valid, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "cache")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := readCache(path)
		if err == nil && len(c.Prepare)+len(c.Shaped) > maxCachedBlocks {
			t.Fatalf("%d blocks read", len(c.Prepare)+len(c.Shaped))
		}
	})
}
