package mainnetblocks

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// Config shapes the blocks. Zero values take the defaults documented on each field.
type Config struct {
	// Params is the network (regtest: its proof of work is trivial); nil means regtest.
	Params *chaincfg.Params
	// Seed makes the keys and the choices of a run; the same seed gives the same blocks.
	Seed uint64
	// Transactions is how many transactions a mainnet-shaped block holds besides its coinbase
	// (default 3,000).
	Transactions int
	// Start is the first block's timestamp (default an hour ago); each block is a second later.
	Start time.Time
}

// utxo is an output the generator can spend.
type utxo struct {
	op    wire.OutPoint
	value int64
	kind  kind
	key   uint16
}

// Stats describes the mainnet-shaped blocks generated so far.
type Stats struct {
	Blocks, Transactions, Inputs, Outputs int
	InputsByKind                          map[string]int
	OpReturns, IONAnchors                 int
	Bytes, WitnessBytes, Weight           int64
}

var kindNames = [...]string{p2wpkh: "p2wpkh", p2tr: "p2tr", p2pkh: "p2pkh", p2wsh: "p2wsh-2of3"}

// Generator builds a chain from the network's genesis block: Prepare's funding blocks, then Next's
// mainnet-shaped blocks. It is not safe for concurrent use.
type Generator struct {
	cfg    Config
	keys   []key
	rng    *rand.Rand
	prev   chainhash.Hash
	height int32
	time   time.Time
	pool   []utxo // spendable: created in an earlier block
	stats  Stats
}

// New returns a generator at the network's genesis block.
func New(cfg Config) (*Generator, error) {
	if cfg.Params == nil {
		cfg.Params = &chaincfg.RegressionNetParams
	}
	if cfg.Transactions <= 0 {
		cfg.Transactions = 3000
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Now().Add(-time.Hour).Truncate(time.Second)
	}
	keys, err := newKeys(cfg.Seed)
	if err != nil {
		return nil, fmt.Errorf("mainnetblocks: keys: %w", err)
	}
	return &Generator{
		cfg: cfg, keys: keys, rng: rand.New(rand.NewPCG(cfg.Seed, 0x6d61696e6e6574)),
		prev: *cfg.Params.GenesisHash, time: cfg.Start, stats: Stats{InputsByKind: map[string]int{}},
	}, nil
}

// Height is the height of the last block generated.
func (g *Generator) Height() int32 { return g.height }

// Stats returns the totals of the mainnet-shaped blocks generated so far.
func (g *Generator) Stats() Stats {
	s := g.stats
	s.InputsByKind = make(map[string]int, len(g.stats.InputsByKind))
	for k, v := range g.stats.InputsByKind {
		s.InputsByKind[k] = v
	}
	return s
}

// Prepare returns the blocks that fund the mainnet-shaped ones: coinbases until the first ones mature,
// then a block that fans them out to a pool of outputs of every kind. Call it once, first.
func (g *Generator) Prepare() ([]*wire.MsgBlock, error) {
	if g.height != 0 {
		return nil, errors.New("mainnetblocks: Prepare must come first")
	}
	const coinbases = 8
	var out []*wire.MsgBlock
	var matured []utxo
	for range int(g.cfg.Params.CoinbaseMaturity) + coinbases {
		b, err := g.block(nil, 0)
		if err != nil {
			return nil, err
		}
		if len(matured) < coinbases {
			cb := b.Transactions[0]
			matured = append(matured, utxo{op: wire.OutPoint{Hash: cb.TxHash()}, value: cb.TxOut[0].Value, kind: p2wpkh})
		}
		out = append(out, b)
	}
	// The pool holds about three blocks' worth of inputs, so that spends are spread over it.
	perTx := 2_500
	var txs []*wire.MsgTx
	var created []utxo
	for _, c := range matured {
		tx := wire.NewMsgTx(2)
		tx.AddTxIn(wire.NewTxIn(&c.op, nil, nil))
		value := (c.value - 1_000_000) / int64(perTx)
		kinds := make([]kind, perTx)
		keys := make([]uint16, perTx)
		for i := range perTx {
			kinds[i], keys[i] = g.outputKind(), uint16(g.rng.IntN(numKeys))
			tx.AddTxOut(wire.NewTxOut(value, g.keys[keys[i]].scripts[kinds[i]]))
		}
		if err := g.sign(tx, []utxo{c}); err != nil {
			return nil, err
		}
		h := tx.TxHash()
		for i := range perTx {
			created = append(created, utxo{op: wire.OutPoint{Hash: h, Index: uint32(i)}, value: value, kind: kinds[i], key: keys[i]})
		}
		txs = append(txs, tx)
	}
	b, err := g.block(txs, 1_000_000*int64(len(txs)))
	if err != nil {
		return nil, err
	}
	g.pool = append(g.pool, created...)
	return append(out, b), nil
}

// outputKind draws an output type in roughly mainnet's proportions of spends.
func (g *Generator) outputKind() kind {
	switch r := g.rng.IntN(100); {
	case r < 50:
		return p2wpkh
	case r < 75:
		return p2tr
	case r < 90:
		return p2pkh
	default:
		return p2wsh
	}
}

// counts draws a transaction's number of inputs and outputs: most spend one or two outputs and pay
// two; some consolidate many inputs or pay out to many.
func (g *Generator) counts() (ins, outs int) {
	return g.draw(inputCounts), g.draw(outputCounts)
}

// countRange is a share of transactions (percent, cumulative) and the counts drawn for it, uniformly.
type countRange struct{ below, least, span int }

var (
	inputCounts  = []countRange{{50, 1, 1}, {77, 2, 1}, {91, 3, 3}, {100, 6, 10}}
	outputCounts = []countRange{{25, 1, 1}, {85, 2, 1}, {97, 3, 3}, {100, 10, 20}}
)

func (g *Generator) draw(dist []countRange) int {
	r := g.rng.IntN(100)
	for _, c := range dist {
		if r < c.below {
			return c.least + g.rng.IntN(c.span)
		}
	}
	return 1
}

// Next returns a mainnet-shaped block on top of the chain.
func (g *Generator) Next() (*wire.MsgBlock, error) {
	if len(g.pool) == 0 {
		return nil, errors.New("mainnetblocks: call Prepare first")
	}
	var txs []*wire.MsgTx
	var created []utxo
	var fees int64
	add := func(tx *wire.MsgTx, spent []utxo, kinds []kind, keys []uint16) error {
		if err := g.sign(tx, spent); err != nil {
			return err
		}
		var in, out int64
		for _, u := range spent {
			in += u.value
			g.stats.InputsByKind[kindNames[u.kind]]++
		}
		h := tx.TxHash()
		for i, o := range tx.TxOut {
			out += o.Value
			if i < len(kinds) {
				created = append(created, utxo{op: wire.OutPoint{Hash: h, Index: uint32(i)}, value: o.Value, kind: kinds[i], key: keys[i]})
			} else {
				g.stats.OpReturns++
			}
		}
		fees += in - out
		g.stats.Inputs += len(spent)
		g.stats.Outputs += len(tx.TxOut)
		txs = append(txs, tx)
		return nil
	}
	n := g.cfg.Transactions
	special := g.specialTxs(n)
	for i := 0; i < n; i++ {
		var data []byte
		var first kind = 255
		switch s := special[i]; s.what {
		case ionFromP2PKH:
			// ION's writer spends a P2PKH output first. Its parent is in this block, so that the
			// watcher finds the output it spends among the block's own transactions.
			parentIns, _ := g.counts()
			spent, ok := g.take(parentIns, 255)
			if !ok {
				return nil, errors.New("mainnetblocks: output pool exhausted")
			}
			k := uint16(g.rng.IntN(numKeys))
			parent, kinds, keys := g.payTx(spent, []kind{p2pkh, g.outputKind()}, []uint16{k, uint16(g.rng.IntN(numKeys))}, nil)
			if err := add(parent, spent, kinds, keys); err != nil {
				return nil, err
			}
			i++
			// The writer's output is spent right away: it never joins the pool.
			at := len(created) - len(kinds)
			writer := created[at]
			created = append(created[:at], created[at+1:]...)
			tx, kinds, keys := g.payTx([]utxo{writer}, []kind{p2pkh}, []uint16{k}, s.data)
			if err := add(tx, []utxo{writer}, kinds, keys); err != nil {
				return nil, err
			}
			g.stats.IONAnchors++
			continue
		case ionFromSegwit:
			data, first = s.data, p2wpkh
		case otherOpReturn:
			data = s.data
		}
		ins, outs := g.counts()
		spent, ok := g.take(ins, first)
		if !ok {
			return nil, errors.New("mainnetblocks: output pool exhausted")
		}
		kinds := make([]kind, outs)
		keys := make([]uint16, outs)
		for j := range kinds {
			kinds[j], keys[j] = g.outputKind(), uint16(g.rng.IntN(numKeys))
		}
		tx, kinds, keys := g.payTx(spent, kinds, keys, data)
		if err := add(tx, spent, kinds, keys); err != nil {
			return nil, err
		}
	}
	b, err := g.block(txs, fees)
	if err != nil {
		return nil, err
	}
	g.pool = append(g.pool, created...)
	blk := btcutil.NewBlock(b)
	g.stats.Blocks++
	g.stats.Transactions += len(b.Transactions)
	g.stats.Bytes += int64(b.SerializeSize())
	g.stats.WitnessBytes += int64(b.SerializeSize() - b.SerializeSizeStripped())
	g.stats.Weight += blockchain.GetBlockWeight(blk)
	return b, nil
}

type specialKind int

const (
	plain         specialKind = iota
	ionFromP2PKH              // an anchor the watcher reports (and its parent: two transactions)
	ionFromSegwit             // "ion:" data paid from a segwit input: ION ignores it
	otherOpReturn             // someone else's OP_RETURN data
)

type special struct {
	what specialKind
	data []byte
}

// specialTxs places a block's OP_RETURN transactions at random positions: one ION anchor, one
// ION-like transaction that ION ignores, and about twenty others (protocol markers, runes-like
// OP_13 pushes, hashes), mainnet's "a few" per block.
func (g *Generator) specialTxs(n int) []special {
	out := make([]special, n)
	place := func(s special, need int) {
		for {
			i := g.rng.IntN(n - need)
			if out[i].what == plain && (need == 1 || out[i+1].what == plain) {
				out[i] = s
				if need == 2 {
					out[i+1] = special{what: -1}
				}
				return
			}
		}
	}
	cid := make([]byte, 20)
	for i := range cid {
		cid[i] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"[g.rng.IntN(58)]
	}
	place(special{ionFromP2PKH, fmt.Appendf(nil, "ion:%d.QmMainnetShaped%s", 1+g.rng.IntN(100), cid)}, 2)
	place(special{ionFromSegwit, fmt.Appendf(nil, "ion:1.QmIgnoredSegwitWriter%s", cid)}, 1)
	for range 20 {
		var data []byte
		switch g.rng.IntN(4) {
		case 0:
			data = append([]byte("omni"), g.bytes(16)...)
		case 1:
			data = append([]byte("ion"), g.bytes(30)...) // "ion" without the colon: not ION's
		default:
			data = g.bytes(4 + g.rng.IntN(77))
		}
		place(special{otherOpReturn, data}, 1)
	}
	return out
}

func (g *Generator) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.rng.Uint32())
	}
	return b
}

// take removes n random outputs from the pool, the first of kind first unless first is 255.
func (g *Generator) take(n int, first kind) ([]utxo, bool) {
	if len(g.pool) < n+1 {
		return nil, false
	}
	out := make([]utxo, 0, n)
	pick := func(i int) {
		out = append(out, g.pool[i])
		g.pool[i] = g.pool[len(g.pool)-1]
		g.pool = g.pool[:len(g.pool)-1]
	}
	if first != 255 {
		start := g.rng.IntN(len(g.pool))
		found := false
		for j := range g.pool {
			i := (start + j) % len(g.pool)
			if g.pool[i].kind == first {
				pick(i)
				found = true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	for len(out) < n {
		pick(g.rng.IntN(len(g.pool)))
	}
	return out, true
}

// payTx builds an unsigned transaction spending spent to outputs of the given kinds and keys (fewer
// when the value would not cover them), plus an OP_RETURN output carrying data when not nil. It
// returns the kinds and keys of the outputs it made, in order.
func (g *Generator) payTx(spent []utxo, kinds []kind, keys []uint16, data []byte) (*wire.MsgTx, []kind, []uint16) {
	tx := wire.NewMsgTx(2)
	var in int64
	for _, u := range spent {
		tx.AddTxIn(&wire.TxIn{PreviousOutPoint: u.op, Sequence: wire.MaxTxInSequenceNum - 2})
		in += u.value
	}
	fee := int64(2 * (60 + 100*len(spent) + 40*len(kinds)))
	for len(kinds) > 1 && (in-fee)/int64(len(kinds)) < 10_000 {
		kinds, keys = kinds[:len(kinds)-1], keys[:len(keys)-1]
	}
	value := (in - fee) / int64(len(kinds))
	for i, k := range kinds {
		tx.AddTxOut(wire.NewTxOut(value, g.keys[keys[i]].scripts[k]))
	}
	if data != nil {
		s, _ := txscript.NullDataScript(data)
		if s == nil { // more than a standard push allows: build it anyway, as some miners do
			s, _ = txscript.NewScriptBuilder().AddOp(txscript.OP_RETURN).AddFullData(data).Script()
		}
		tx.AddTxOut(wire.NewTxOut(0, s))
	}
	return tx, kinds, keys
}

// sign signs every input of tx, which spends spent in order.
func (g *Generator) sign(tx *wire.MsgTx, spent []utxo) error {
	prev := make(map[wire.OutPoint]*wire.TxOut, len(spent))
	for _, u := range spent {
		prev[u.op] = wire.NewTxOut(u.value, g.keys[u.key].scripts[u.kind])
	}
	hashes := txscript.NewTxSigHashes(tx, txscript.NewMultiPrevOutFetcher(prev))
	for i, u := range spent {
		k := &g.keys[u.key]
		script := k.scripts[u.kind]
		var err error
		switch u.kind {
		case p2wpkh:
			tx.TxIn[i].Witness, err = txscript.WitnessSignature(tx, hashes, i, u.value, script, txscript.SigHashAll, k.priv, true)
		case p2tr:
			tx.TxIn[i].Witness, err = txscript.TaprootWitnessSignature(tx, hashes, i, u.value, script, txscript.SigHashDefault, k.priv)
		case p2pkh:
			tx.TxIn[i].SignatureScript, err = txscript.SignatureScript(tx, i, script, txscript.SigHashAll, k.priv, true)
		case p2wsh:
			w := wire.TxWitness{nil}
			for j := range 2 {
				var sig []byte
				sig, err = txscript.RawTxInWitnessSignature(tx, hashes, i, u.value, k.witness, txscript.SigHashAll, g.keys[(int(u.key)+j)%numKeys].priv)
				if err != nil {
					break
				}
				w = append(w, sig)
			}
			tx.TxIn[i].Witness = append(w, k.witness)
		}
		if err != nil {
			return fmt.Errorf("mainnetblocks: sign input %d: %w", i, err)
		}
	}
	return nil
}

// block assembles the next block: a coinbase paying the subsidy and fees (with the witness commitment
// when a transaction has witness data), txs, the Merkle root and a nonce that meets the target.
func (g *Generator) block(txs []*wire.MsgTx, fees int64) (*wire.MsgBlock, error) {
	height := g.height + 1
	params := g.cfg.Params
	sigScript, err := txscript.NewScriptBuilder().AddInt64(int64(height)).AddInt64(int64(g.cfg.Seed & 0xffff)).Script()
	if err != nil {
		return nil, err
	}
	cb := wire.NewMsgTx(1)
	cb.AddTxIn(&wire.TxIn{PreviousOutPoint: wire.OutPoint{Index: wire.MaxPrevOutIndex}, SignatureScript: sigScript, Sequence: wire.MaxTxInSequenceNum})
	cb.AddTxOut(wire.NewTxOut(blockchain.CalcBlockSubsidy(height, params)+fees, g.keys[0].scripts[p2wpkh]))
	all := append([]*wire.MsgTx{cb}, txs...)
	witness := false
	for _, tx := range txs {
		witness = witness || tx.HasWitness()
	}
	if witness {
		var nonce [blockchain.CoinbaseWitnessDataLen]byte
		cb.TxIn[0].Witness = wire.TxWitness{nonce[:]}
		wtxs := make([]*btcutil.Tx, len(all))
		for i, tx := range all {
			wtxs[i] = btcutil.NewTx(tx)
		}
		root := blockchain.CalcMerkleRoot(wtxs, true)
		commitment := chainhash.DoubleHashB(append(root[:], nonce[:]...))
		cb.AddTxOut(wire.NewTxOut(0, append(append([]byte(nil), blockchain.WitnessMagicBytes...), commitment...)))
	}
	utxs := make([]*btcutil.Tx, len(all))
	for i, tx := range all {
		utxs[i] = btcutil.NewTx(tx)
	}
	b := &wire.MsgBlock{Header: wire.BlockHeader{
		Version: 0x20000000, PrevBlock: g.prev, MerkleRoot: blockchain.CalcMerkleRoot(utxs, false),
		Timestamp: g.time, Bits: params.PowLimitBits,
	}, Transactions: all}
	target := blockchain.CompactToBig(params.PowLimitBits)
	for {
		h := b.Header.BlockHash()
		if blockchain.HashToBig(&h).Cmp(target) <= 0 {
			break
		}
		if b.Header.Nonce == ^uint32(0) {
			return nil, errors.New("mainnetblocks: no nonce meets the target")
		}
		b.Header.Nonce++
	}
	g.prev, g.height, g.time = b.BlockHash(), height, g.time.Add(time.Second)
	return b, nil
}
