package p2pchain

import (
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

var (
	// ErrInvalidHeader is returned for a header that breaks a consensus rule (proof of work, difficulty,
	// timestamps, version, checkpoints): the peer that sent it is banned.
	ErrInvalidHeader = errors.New("p2pchain: invalid header")
	// ErrUnconnected is returned for a header whose parent is unknown: the peer is asked for the headers
	// in between, not banned (it may be announcing a block whose parents we have not heard of yet).
	ErrUnconnected = errors.New("p2pchain: header does not connect")
)

// node is one validated header. It implements blockchain.HeaderCtx so that btcd's own contextual
// checks (difficulty retargeting, median time past, checkpoints) run on our index.
type node struct {
	hash       chainhash.Hash
	merkleRoot chainhash.Hash
	parent     *node
	work       *big.Int // cumulative, genesis included
	height     int32
	version    int32
	bits       uint32
	nonce      uint32
	timestamp  int64
	chain      *HeaderChain
}

func (n *node) Height() int32    { return n.height }
func (n *node) Bits() uint32     { return n.bits }
func (n *node) Timestamp() int64 { return n.timestamp }

// Parent returns an untyped nil for the genesis block: btcd compares the interface with nil.
func (n *node) Parent() blockchain.HeaderCtx {
	if n.parent == nil {
		return nil
	}
	return n.parent
}

// RelativeAncestorCtx answers from the active chain in O(1) when the node is on it (the retarget
// lookup walks 2,015 blocks back otherwise), and walks the parents for a side branch.
func (n *node) RelativeAncestorCtx(distance int32) blockchain.HeaderCtx {
	a := n.ancestor(n.height - distance)
	if a == nil {
		return nil
	}
	return a
}

// ancestor returns the node's ancestor at height, nil when there is none. The caller holds the
// chain's lock (all HeaderCtx calls happen inside connect).
func (n *node) ancestor(height int32) *node {
	if height < 0 || height > n.height {
		return nil
	}
	c := n.chain
	for a := n; a != nil; a = a.parent {
		if int(a.height) < len(c.active) && c.active[a.height] == a {
			return c.active[height]
		}
		if a.height == height {
			return a
		}
	}
	return nil
}

func (n *node) header(prev chainhash.Hash) wire.BlockHeader {
	return wire.BlockHeader{
		Version: n.version, PrevBlock: prev, MerkleRoot: n.merkleRoot,
		Timestamp: time.Unix(n.timestamp, 0), Bits: n.bits, Nonce: n.nonce,
	}
}

// Tip is the best header: the end of the chain with the most cumulative work.
type Tip struct {
	Height int64
	Hash   chainhash.Hash
	Work   *big.Int
}

// Change reports what AddHeaders did to the best chain.
type Change struct {
	Added int // headers new to the index
	// Reorged is true when the best chain now leaves the previous one below its tip; ForkHeight is
	// then the last height both share.
	Reorged    bool
	ForkHeight int64
	Tip        Tip
}

// HeaderChain is a validated index of block headers that follows the chain with the most work. All
// its methods are safe for concurrent use. Headers on the best chain are also written to a HeaderFile
// when one is given, so a restart does not download them again.
type HeaderChain struct {
	params *chaincfg.Params
	clock  blockchain.MedianTimeSource
	file   *HeaderFile

	mu     sync.RWMutex
	index  map[chainhash.Hash]*node
	active []*node // the best chain, by height
}

// NewHeaderChain starts a chain at params' genesis block; file, when not nil, persists the best chain
// and its headers are loaded (and validated again) first. clock is the network-adjusted time against
// which a header's timestamp may be at most two hours ahead; nil means the local clock.
func NewHeaderChain(params *chaincfg.Params, file *HeaderFile, clock blockchain.MedianTimeSource) (*HeaderChain, error) {
	if clock == nil {
		clock = blockchain.NewMedianTime()
	}
	c := &HeaderChain{params: params, clock: clock, index: make(map[chainhash.Hash]*node)}
	g := params.GenesisBlock.Header
	genesis := &node{
		hash: *params.GenesisHash, merkleRoot: g.MerkleRoot, work: blockchain.CalcWork(g.Bits),
		version: g.Version, bits: g.Bits, nonce: g.Nonce, timestamp: g.Timestamp.Unix(), chain: c,
	}
	c.index[genesis.hash] = genesis
	c.active = []*node{genesis}
	if file == nil {
		return c, nil
	}
	headers, err := file.Load()
	if err != nil {
		return nil, err
	}
	if len(headers) == 0 {
		if err := file.Append([]wire.BlockHeader{g}); err != nil {
			return nil, err
		}
	} else if headers[0].BlockHash() != genesis.hash {
		return nil, fmt.Errorf("p2pchain: header file %s is for another network", file.path)
	}
	if len(headers) > 1 {
		// A header that no longer validates (a damaged file) ends what is loaded; the peers give the rest.
		ch, err := c.AddHeaders(headers[1:])
		if err != nil && ch.Added == 0 {
			c.file = file
			return c, file.Truncate(1)
		}
	}
	c.file = file
	return c, file.Truncate(int64(len(c.active)))
}

// Params returns the chain parameters.
func (c *HeaderChain) Params() *chaincfg.Params { return c.params }

// Tip returns the best header.
func (c *HeaderChain) Tip() Tip {
	c.mu.RLock()
	defer c.mu.RUnlock()
	t := c.active[len(c.active)-1]
	return Tip{Height: int64(t.height), Hash: t.hash, Work: new(big.Int).Set(t.work)}
}

// HashAt returns the hash of the best chain's block at height.
func (c *HeaderChain) HashAt(height int64) (chainhash.Hash, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if height < 0 || height >= int64(len(c.active)) {
		return chainhash.Hash{}, false
	}
	return c.active[height].hash, true
}

// Lookup returns a known header's height, Merkle root and whether it is on the best chain.
func (c *HeaderChain) Lookup(hash chainhash.Hash) (height int64, merkleRoot chainhash.Hash, best, ok bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n, ok := c.index[hash]
	if !ok {
		return 0, chainhash.Hash{}, false, false
	}
	return int64(n.height), n.merkleRoot, c.active[n.height] == n, true
}

// IsAncestor reports whether the block hash at height is desc or one of desc's ancestors.
func (c *HeaderChain) IsAncestor(hash chainhash.Hash, height int64, desc chainhash.Hash) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	d, ok := c.index[desc]
	if !ok || height < 0 || height > int64(d.height) {
		return false
	}
	a := d.ancestor(int32(height))
	return a != nil && a.hash == hash
}

// Locator returns a block locator for getheaders: the last ten blocks of the best chain, then
// exponentially sparser ones back to genesis.
func (c *HeaderChain) Locator() blockchain.BlockLocator {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var loc blockchain.BlockLocator
	step := int32(1)
	for h := int32(len(c.active) - 1); h > 0; h -= step {
		loc = append(loc, &c.active[h].hash)
		if len(loc) >= 10 {
			step *= 2
		}
	}
	return append(loc, &c.active[0].hash)
}

// AddHeaders validates headers in order and adds them to the index, switching the best chain when a
// branch gains more work. Known headers are skipped. It stops at the first header that is invalid
// (ErrInvalidHeader) or does not connect (ErrUnconnected); the Change reports what was done before.
func (c *HeaderChain) AddHeaders(headers []wire.BlockHeader) (Change, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	oldTip := c.active[len(c.active)-1]
	var ch Change
	var err error
	var best *node
	for i := range headers {
		h := &headers[i]
		hash := h.BlockHash()
		if _, ok := c.index[hash]; ok {
			continue
		}
		parent, ok := c.index[h.PrevBlock]
		if !ok {
			err = fmt.Errorf("%w: %s's parent %s is unknown", ErrUnconnected, hash, h.PrevBlock)
			break
		}
		if err = c.check(h, parent); err != nil {
			err = fmt.Errorf("%w: %s at height %d: %w", ErrInvalidHeader, hash, parent.height+1, err)
			break
		}
		n := &node{
			hash: hash, merkleRoot: h.MerkleRoot, parent: parent, height: parent.height + 1,
			work:    new(big.Int).Add(parent.work, blockchain.CalcWork(h.Bits)),
			version: h.Version, bits: h.Bits, nonce: h.Nonce, timestamp: h.Timestamp.Unix(), chain: c,
		}
		c.index[hash] = n
		ch.Added++
		if best == nil && n.work.Cmp(oldTip.work) > 0 || best != nil && n.work.Cmp(best.work) > 0 {
			best = n
		}
		// Extending the best chain directly keeps the O(1) ancestor lookups of the next headers.
		if best == n && parent == c.active[len(c.active)-1] {
			c.active = append(c.active, n)
		}
	}
	if best != nil {
		if ferr := c.setBest(best, oldTip, &ch); ferr != nil && err == nil {
			err = ferr
		}
	}
	t := c.active[len(c.active)-1]
	ch.Tip = Tip{Height: int64(t.height), Hash: t.hash, Work: new(big.Int).Set(t.work)}
	return ch, err
}

// check runs btcd's context-free and contextual header rules against parent.
func (c *HeaderChain) check(h *wire.BlockHeader, parent *node) error {
	if err := blockchain.CheckBlockHeaderSanity(h, c.params.PowLimit, c.clock, blockchain.BFNone); err != nil {
		return err
	}
	return blockchain.CheckBlockHeaderContext(h, parent, blockchain.BFNone, chainCtx{c}, false)
}

// setBest makes best the tip, rewriting the active chain from the fork point with oldTip.
func (c *HeaderChain) setBest(best, oldTip *node, ch *Change) error {
	var branch []*node
	n := best
	for ; int(n.height) >= len(c.active) || c.active[n.height] != n; n = n.parent {
		branch = append(branch, n)
	}
	fork := n.height
	if fork < oldTip.height {
		ch.Reorged, ch.ForkHeight = true, int64(fork)
	}
	c.active = c.active[:fork+1]
	for i := len(branch) - 1; i >= 0; i-- {
		c.active = append(c.active, branch[i])
	}
	if c.file == nil {
		return nil
	}
	from := min(fork, oldTip.height) + 1
	if err := c.file.Truncate(int64(from)); err != nil {
		return err
	}
	recs := make([]wire.BlockHeader, 0, len(c.active)-int(from))
	for _, a := range c.active[from:] {
		recs = append(recs, a.header(a.parent.hash))
	}
	return c.file.Append(recs)
}

// chainCtx gives btcd's contextual checks the parameters and checkpoints; the caller holds c.mu.
type chainCtx struct{ c *HeaderChain }

func (x chainCtx) ChainParams() *chaincfg.Params { return x.c.params }

func (x chainCtx) BlocksPerRetarget() int32 {
	return int32(x.c.params.TargetTimespan / x.c.params.TargetTimePerBlock)
}

func (x chainCtx) MinRetargetTimespan() int64 {
	return int64(x.c.params.TargetTimespan/time.Second) / x.c.params.RetargetAdjustmentFactor
}

func (x chainCtx) MaxRetargetTimespan() int64 {
	return int64(x.c.params.TargetTimespan/time.Second) * x.c.params.RetargetAdjustmentFactor
}

func (x chainCtx) VerifyCheckpoint(height int32, hash *chainhash.Hash) bool {
	for _, cp := range x.c.params.Checkpoints {
		if cp.Height == height {
			return *cp.Hash == *hash
		}
	}
	return true
}

// FindPreviousCheckpoint returns the highest checkpoint the best chain has reached: no header may fork
// the chain below it.
func (x chainCtx) FindPreviousCheckpoint() (blockchain.HeaderCtx, error) {
	active := x.c.active
	cps := x.c.params.Checkpoints
	for i := len(cps) - 1; i >= 0; i-- {
		if int(cps[i].Height) < len(active) && active[cps[i].Height].hash == *cps[i].Hash {
			return active[cps[i].Height], nil
		}
	}
	return nil, nil
}
