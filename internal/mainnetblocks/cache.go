package mainnetblocks

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/btcsuite/btcd/wire/v2"
)

// Chain is a generated chain: the funding blocks, then the mainnet-shaped ones.
type Chain struct {
	Prepare []*wire.MsgBlock
	Shaped  []*wire.MsgBlock
	Stats   Stats
}

// All returns every block in order, from height 1.
func (c *Chain) All() []*wire.MsgBlock {
	return append(append([]*wire.MsgBlock(nil), c.Prepare...), c.Shaped...)
}

// cacheVersion changes whenever the generator would build different blocks for the same Config.
const cacheVersion = 1

// Build generates the funding blocks and n mainnet-shaped blocks. With a cache directory, a chain
// built before for the same configuration is read from it instead (signing ~7,000 inputs a block costs
// about a CPU-second), and a new one is written there.
func Build(cfg Config, n int, cacheDir string) (*Chain, error) {
	g, err := New(cfg)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("v%d-seed%d-txs%d-blocks%d", cacheVersion, g.cfg.Seed, g.cfg.Transactions, n)
	if cacheDir != "" {
		c, err := readCache(filepath.Join(cacheDir, name))
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("mainnetblocks: cache %s: %w", cacheDir, err)
		}
	}
	c := &Chain{}
	if c.Prepare, err = g.Prepare(); err != nil {
		return nil, err
	}
	for range n {
		b, err := g.Next()
		if err != nil {
			return nil, err
		}
		c.Shaped = append(c.Shaped, b)
	}
	c.Stats = g.Stats()
	if cacheDir != "" {
		if err := writeCache(filepath.Join(cacheDir, name), c); err != nil {
			return nil, fmt.Errorf("mainnetblocks: cache %s: %w", cacheDir, err)
		}
	}
	return c, nil
}

func writeCache(path string, c *Chain) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	w := bufio.NewWriter(f)
	head, err := json.Marshal(cacheHead{Prepare: len(c.Prepare), Shaped: len(c.Shaped), Stats: c.Stats})
	if err != nil {
		return err
	}
	if err := wire.WriteVarBytes(w, 0, head); err != nil {
		return err
	}
	for _, b := range c.All() {
		if err := b.Serialize(w); err != nil {
			return err
		}
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

type cacheHead struct {
	Prepare, Shaped int
	Stats           Stats
}

// maxCachedBlocks bounds what a cache file may claim, so a damaged one fails instead of allocating.
const maxCachedBlocks = 100_000

func readCache(path string) (*Chain, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	raw, err := wire.ReadVarBytes(r, 0, 1<<20, "cache head")
	if err != nil {
		return nil, err
	}
	var head cacheHead
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, err
	}
	if head.Prepare < 0 || head.Shaped < 0 || head.Prepare+head.Shaped > maxCachedBlocks {
		return nil, fmt.Errorf("damaged cache: %d+%d blocks", head.Prepare, head.Shaped)
	}
	c := &Chain{Stats: head.Stats}
	for i := range head.Prepare + head.Shaped {
		b := new(wire.MsgBlock)
		if err := b.Deserialize(r); err != nil {
			return nil, fmt.Errorf("block %d: %w", i+1, err)
		}
		if i < head.Prepare {
			c.Prepare = append(c.Prepare, b)
		} else {
			c.Shaped = append(c.Shaped, b)
		}
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return nil, errors.New("damaged cache: trailing data")
	}
	return c, nil
}

// DefaultCacheDir is where benchmarks keep generated chains: $IONODE_BENCH_CACHE, else the user's
// cache directory (~/.cache/ionode-bench/mainnetblocks), else none.
func DefaultCacheDir() string {
	if d := os.Getenv("IONODE_BENCH_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "ionode-bench", "mainnetblocks")
}
