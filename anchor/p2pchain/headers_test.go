package p2pchain

import (
	"errors"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// mine returns a header on prev with the given time and bits whose hash meets its target (regtest-like
// targets take a couple of tries).
func mine(t testing.TB, prev chainhash.Hash, ts time.Time, bits uint32, tag byte) wire.BlockHeader {
	t.Helper()
	h := wire.BlockHeader{Version: 4, PrevBlock: prev, MerkleRoot: chainhash.Hash{tag}, Timestamp: ts, Bits: bits}
	target := blockchain.CompactToBig(bits)
	for {
		hash := h.BlockHash()
		if blockchain.HashToBig(&hash).Cmp(target) <= 0 {
			return h
		}
		h.Nonce++
	}
}

// branch mines n headers on prev, one second apart from start, marked by tag (so two branches differ).
func branch(t testing.TB, params *chaincfg.Params, prev chainhash.Hash, start time.Time, n int, tag byte) []wire.BlockHeader {
	t.Helper()
	out := make([]wire.BlockHeader, n)
	for i := range out {
		out[i] = mine(t, prev, start.Add(time.Duration(i+1)*time.Second), params.PowLimitBits, tag)
		prev = out[i].BlockHash()
	}
	return out
}

func genesisTime(p *chaincfg.Params) time.Time { return p.GenesisBlock.Header.Timestamp }

func newChain(t testing.TB, params *chaincfg.Params, file *HeaderFile) *HeaderChain {
	t.Helper()
	c, err := NewHeaderChain(params, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestHeaderChainFollowsMostWork(t *testing.T) {
	p := &chaincfg.RegressionNetParams
	c := newChain(t, p, nil)
	main := branch(t, p, *p.GenesisHash, genesisTime(p), 10, 1)
	ch, err := c.AddHeaders(main)
	if err != nil || ch.Added != 10 || ch.Tip.Height != 10 || ch.Reorged {
		t.Fatalf("main branch: %+v, %v", ch, err)
	}
	// A lighter fork from height 4 (5 headers: tip 9 < 10) is indexed but not followed.
	light := branch(t, p, main[3].BlockHash(), main[3].Timestamp, 5, 2)
	ch, err = c.AddHeaders(light)
	if err != nil || ch.Added != 5 || ch.Reorged || ch.Tip.Hash != main[9].BlockHash() {
		t.Fatalf("lighter fork: %+v, %v", ch, err)
	}
	// Extended past the main branch it wins: a reorganization with fork point 4.
	heavy := branch(t, p, light[4].BlockHash(), light[4].Timestamp, 2, 2)
	ch, err = c.AddHeaders(heavy)
	if err != nil || !ch.Reorged || ch.ForkHeight != 4 || ch.Tip.Height != 11 || ch.Tip.Hash != heavy[1].BlockHash() {
		t.Fatalf("heavier fork: %+v, %v", ch, err)
	}
	if h, _ := c.HashAt(5); h != light[0].BlockHash() {
		t.Fatal("height 5 is not on the new branch")
	}
	if _, _, best, ok := c.Lookup(main[9].BlockHash()); !ok || best {
		t.Fatal("the old tip should be known and off the best chain")
	}
	// Equal work does not switch (first seen wins, as in Bitcoin Core).
	tie := branch(t, p, main[9].BlockHash(), main[9].Timestamp, 1, 1)
	if ch, err = c.AddHeaders(tie); err != nil || ch.Reorged || ch.Tip.Hash != heavy[1].BlockHash() {
		t.Fatalf("equal work: %+v, %v", ch, err)
	}
}

func TestHeaderChainRejects(t *testing.T) {
	p := &chaincfg.RegressionNetParams
	g := *p.GenesisHash
	start := genesisTime(p)
	valid := branch(t, p, g, start, 12, 1)

	badPoW := valid[11]
	for {
		badPoW.Nonce++
		hash := badPoW.BlockHash()
		if blockchain.HashToBig(&hash).Cmp(blockchain.CompactToBig(badPoW.Bits)) > 0 {
			break
		}
	}
	harder := blockchain.BigToCompact(new(big.Int).Rsh(p.PowLimit, 4))
	tests := []struct {
		name   string
		header wire.BlockHeader
		want   error
	}{
		{"hash above its target", badPoW, ErrInvalidHeader},
		// Regtest never retargets: any other bits break the expected difficulty.
		{"unexpected difficulty", mine(t, valid[10].BlockHash(), valid[10].Timestamp.Add(time.Second), harder, 9), ErrInvalidHeader},
		{"not after median time past", mine(t, valid[10].BlockHash(), valid[5].Timestamp, p.PowLimitBits, 9), ErrInvalidHeader},
		{"too far in the future", mine(t, valid[10].BlockHash(), time.Now().Add(3*time.Hour).Truncate(time.Second), p.PowLimitBits, 9), ErrInvalidHeader},
		{"unknown parent", mine(t, chainhash.Hash{7}, valid[10].Timestamp.Add(time.Second), p.PowLimitBits, 9), ErrUnconnected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChain(t, p, nil)
			if _, err := c.AddHeaders(valid[:11]); err != nil {
				t.Fatal(err)
			}
			ch, err := c.AddHeaders([]wire.BlockHeader{tt.header})
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if ch.Added != 0 || ch.Tip.Height != 11 {
				t.Fatalf("the chain changed: %+v", ch)
			}
		})
	}
	t.Run("the headers before a bad one are kept", func(t *testing.T) {
		c := newChain(t, p, nil)
		batch := append(append([]wire.BlockHeader{}, valid[:11]...), badPoW)
		ch, err := c.AddHeaders(batch)
		if !errors.Is(err, ErrInvalidHeader) || ch.Added != 11 || ch.Tip.Height != 11 {
			t.Fatalf("%+v, %v", ch, err)
		}
	})
}

func TestHeaderChainCheckpoints(t *testing.T) {
	base := chaincfg.RegressionNetParams
	p := &base
	main := branch(t, p, *p.GenesisHash, genesisTime(p), 6, 1)
	cp := main[2].BlockHash()
	p.Checkpoints = []chaincfg.Checkpoint{{Height: 3, Hash: &cp}}

	other := branch(t, p, *p.GenesisHash, genesisTime(p), 8, 2)
	c := newChain(t, p, nil)
	if _, err := c.AddHeaders(other); !errors.Is(err, ErrInvalidHeader) {
		t.Fatalf("a branch against the checkpoint: %v", err)
	}
	c = newChain(t, p, nil)
	if _, err := c.AddHeaders(main); err != nil {
		t.Fatal(err)
	}
	// Heavier, but forking below the checkpoint the chain has passed.
	fork := branch(t, p, main[0].BlockHash(), main[0].Timestamp, 9, 3)
	// Its first header, at height 2, is refused: below the checkpoint, before any checkpoint hash.
	if ch, err := c.AddHeaders(fork); !errors.Is(err, ErrInvalidHeader) || ch.Added != 0 {
		t.Fatalf("a fork below the checkpoint: %d added, %v", ch.Added, err)
	}
	if tip := c.Tip(); tip.Hash != main[5].BlockHash() {
		t.Fatal("the tip moved")
	}
}

// TestHeaderChainRetarget runs btcd's retarget rule on a network retargeting every 8 blocks and
// checks the bits against the rule computed here: target × actual timespan / target timespan, clamped
// to a factor of 4 and to the proof-of-work limit.
func TestHeaderChainRetarget(t *testing.T) {
	base := chaincfg.RegressionNetParams
	p := &base
	p.PoWNoRetargeting = false
	p.TargetTimePerBlock = 10 * time.Minute
	p.TargetTimespan = 8 * p.TargetTimePerBlock
	p.PowLimit = new(big.Int).Rsh(base.PowLimit, 3) // room below the limit for the first target
	p.PowLimitBits = blockchain.BigToCompact(p.PowLimit)
	start := time.Unix(1_700_000_000, 0)
	p.GenesisBlock = &wire.MsgBlock{Header: mine(t, chainhash.Hash{}, start, p.PowLimitBits, 0)}
	gh := p.GenesisBlock.Header.BlockHash()
	p.GenesisHash = &gh

	c := newChain(t, p, nil)
	// Blocks 1–7 every 5 minutes: twice as fast as the target.
	var hs []wire.BlockHeader
	prev := gh
	for i := 1; i <= 7; i++ {
		h := mine(t, prev, start.Add(time.Duration(i)*5*time.Minute), p.PowLimitBits, 1)
		hs = append(hs, h)
		prev = h.BlockHash()
	}
	if _, err := c.AddHeaders(hs); err != nil {
		t.Fatal(err)
	}
	actual := int64(7 * 5 * 60) // block 7's time − block 0's time
	want := new(big.Int).Mul(p.PowLimit, big.NewInt(actual))
	want.Div(want, big.NewInt(int64(p.TargetTimespan/time.Second)))
	wantBits := blockchain.BigToCompact(want)
	ts := start.Add(40 * time.Minute)
	if _, err := c.AddHeaders([]wire.BlockHeader{mine(t, prev, ts, p.PowLimitBits, 2)}); !errors.Is(err, ErrInvalidHeader) {
		t.Fatalf("the old difficulty after a retarget: %v", err)
	}
	if _, err := c.AddHeaders([]wire.BlockHeader{mine(t, prev, ts, wantBits, 3)}); err != nil {
		t.Fatalf("the retargeted difficulty %08x: %v", wantBits, err)
	}
}

func TestHeaderFilePersists(t *testing.T) {
	p := &chaincfg.RegressionNetParams
	path := filepath.Join(t.TempDir(), "headers")
	f, err := OpenHeaderFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := newChain(t, p, f)
	main := branch(t, p, *p.GenesisHash, genesisTime(p), 6, 1)
	fork := branch(t, p, main[1].BlockHash(), main[1].Timestamp, 6, 2)
	for _, hs := range [][]wire.BlockHeader{main, fork} {
		if _, err := c.AddHeaders(hs); err != nil {
			t.Fatal(err)
		}
	}
	want := c.Tip()
	f.Close()

	f, err = OpenHeaderFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	again := newChain(t, p, f)
	if got := again.Tip(); got.Hash != want.Hash || got.Height != 8 {
		t.Fatalf("reloaded tip %v at %d, want %v at 8", got.Hash, got.Height, want.Hash)
	}
	hs, err := f.Load()
	if err != nil || len(hs) != 9 {
		t.Fatalf("%d records (%v), want 9: one per height of the best chain", len(hs), err)
	}
	if fi, _ := filepath.Glob(path); len(fi) != 1 {
		t.Fatal("no file")
	}
}

// TestAddHeadersLinear counts allocations for n and 2n headers: the work per header is constant.
func TestAddHeadersLinear(t *testing.T) {
	p := &chaincfg.RegressionNetParams
	hs := branch(t, p, *p.GenesisHash, genesisTime(p), 400, 1)
	allocs := func(n int) float64 {
		return testing.AllocsPerRun(3, func() {
			c, _ := NewHeaderChain(p, nil, nil)
			if _, err := c.AddHeaders(hs[:n]); err != nil {
				t.Fatal(err)
			}
		})
	}
	a, b := allocs(200), allocs(400)
	if b > 2.2*a {
		t.Fatalf("%v allocations for 200 headers, %v for 400: not linear", a, b)
	}
}

func FuzzDecodeHeaders(f *testing.F) {
	p := &chaincfg.RegressionNetParams
	var rec [headerSize]byte
	f.Add(rec[:])
	f.Add([]byte{1, 2, 3})
	hs := branch(f, p, *p.GenesisHash, genesisTime(p), 2, 1)
	var buf []byte
	for _, h := range hs {
		b := make([]byte, 0, headerSize)
		w := bytesWriter{&b}
		_ = h.Serialize(w)
		buf = append(buf, b...)
	}
	f.Add(buf)
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := decodeHeaders(data)
		if err != nil {
			return
		}
		if len(out) != len(data)/headerSize {
			t.Fatalf("%d headers from %d bytes", len(out), len(data))
		}
		c, _ := NewHeaderChain(p, nil, nil)
		_, _ = c.AddHeaders(out)
	})
}

type bytesWriter struct{ b *[]byte }

func (w bytesWriter) Write(p []byte) (int, error) { *w.b = append(*w.b, p...); return len(p), nil }
