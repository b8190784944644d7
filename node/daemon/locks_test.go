package daemon

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil/v2"

	"github.com/ionode/ionode/anchor"
	"github.com/ionode/ionode/anchor/ionrules"
	"github.com/ionode/ionode/internal/wallettest"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
	"github.com/ionode/ionode/testnet"
)

// TestValueTimeLocks runs the daemon over btcd regtest while other writers lock coins and anchor
// batches above the lock-free cap (100 operations) that name their locks. Only the batch whose lock is
// the writer's own, of ION's duration, live at the batch's block and large enough is stored; the others
// are discarded with the reference's verdict (ValueTimeLockVerifier after LockResolver).
func TestValueTimeLocks(t *testing.T) {
	if testing.Short() {
		t.Skip("starts btcd and a node")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	btc := startBitcoin(t, ctx, testnet.Config{})
	d := regtestNode(t, ctx, btc, "")
	rpc, err := anchor.DialRPC(btc.RPCConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer rpc.Close()

	net := ionrules.BitcoinRegtest()
	duration := net.Versions[0].Parameters.ValueTimeLockDurationInBlocks // 150
	p := sidetree.Regtest().Latest()
	const ops = 120
	// Regtest's normalized fee stays at the initial 400 sat for the first 1,000 blocks.
	normalizedFee := int64(net.Versions[0].Parameters.InitialNormalizedFeeInSatoshis)
	enough := ionrules.LockAmountForOperations(normalizedFee, ops, p) // 400 × 0.001 × 60,000 × 120
	tooSmall := ionrules.LockAmountForOperations(normalizedFee, ops-10, p)

	ws := newLockWriters(t, ctx, btc, rpc, "valid", "small", "stranger", "short", "expired", "sameblock")
	// The expired lock first: its 150 blocks pass before the batches are anchored.
	expired := ws.lock(t, ctx, "expired", enough, duration)
	ws.mine(t, ctx, int(duration))
	valid := ws.lock(t, ctx, "valid", enough, duration)
	small := ws.lock(t, ctx, "small", tooSmall, duration)
	short := ws.lock(t, ctx, "short", enough, 20) // ION accepts only the network's duration
	ws.mine(t, ctx, 1)
	// A lock confirmed in the batch's own block counts (lock block ≤ transaction block).
	sameBlock := ws.lock(t, ctx, "sameblock", enough, duration)

	cases := []struct {
		writer string
		lockID string
		code   sidetree.Code // the reference's verdict on the batch
	}{
		{"valid", valid.Identifier, ""},
		{"sameblock", sameBlock.Identifier, ""},
		{"small", small.Identifier, sidetree.CodeValueTimeLockVerifierInvalidNumberOfOperations},
		{"stranger", valid.Identifier, sidetree.CodeValueTimeLockVerifierTransactionWriterLockOwnerMismatch},
		{"short", short.Identifier, sidetree.CodeValueTimeLockVerifierInvalidNumberOfOperations},
		{"expired", expired.Identifier, sidetree.CodeValueTimeLockVerifierTransactionTimeOutsideLockRange},
	}
	anchors := map[string]string{}
	for _, c := range cases {
		requests := make([][]byte, ops)
		for i := range requests {
			req, err := sidetree.NewCreateRequest("ion", mustKey(t), mustKey(t), sidetree.Document{}, p)
			if err != nil {
				t.Fatal(err)
			}
			requests[i] = req.Body.Stringify()
		}
		s, _, err := batch.Build(requests, c.lockID, p, func(data []byte) (string, error) { return d.CAS.Put(ctx, data) })
		if err != nil {
			t.Fatal(err)
		}
		fee, _ := ionrules.MinimumFeeSatoshis(normalizedFee, ops, p)
		if _, _, err := ws.writers[c.writer].Anchor(ctx, s, uint64(fee)); err != nil {
			t.Fatalf("%s: anchor: %v", c.writer, err)
		}
		anchors[s] = c.writer
	}
	ws.mine(t, ctx, 1)
	batchHeight := ws.height

	// Wait for the daemon to record the transactions, then count what it kept of each.
	stored := map[string]int{}
	var txTime, txWriter = map[string]int64{}, map[string]string{}
	deadline := time.Now().Add(2 * time.Minute)
	for len(stored) < len(cases) {
		if time.Now().After(deadline) {
			t.Fatalf("the daemon recorded %d of %d transactions", len(stored), len(cases))
		}
		time.Sleep(200 * time.Millisecond)
		txs, err := d.Store.TransactionsAfter(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range txs {
			w, ok := anchors[tx.AnchorString]
			if !ok {
				continue
			}
			counts, err := d.Store.OperationCounts(ctx, tx.Number)
			if err != nil {
				t.Fatal(err)
			}
			stored[w] = counts[sidetree.OpCreate]
			txTime[w], txWriter[w] = int64(tx.Time), tx.Writer
		}
	}
	for _, c := range cases {
		want := 0
		if c.code == "" {
			want = ops
		}
		if stored[c.writer] != want {
			t.Errorf("%s: the daemon stored %d operations, want %d", c.writer, stored[c.writer], want)
		}
		if txTime[c.writer] != batchHeight {
			t.Errorf("%s: transaction time %d, want %d", c.writer, txTime[c.writer], batchHeight)
		}
		// The verdict itself, through the daemon's resolver and ION's verifier.
		lock, err := d.chain.locks.ValueTimeLock(ctx, c.lockID)
		if err != nil {
			t.Fatalf("%s: resolve: %v", c.writer, err)
		}
		got := sidetree.CodeOf(ionrules.VerifyLockAmount(lock, ops, txTime[c.writer], txWriter[c.writer], sidetree.Regtest()))
		if got != c.code {
			t.Errorf("%s: verdict %q, want %q (lock %+v)", c.writer, got, c.code, lock)
		}
		// Within the lock-free cap any of them would do.
		if err := ionrules.VerifyLockAmount(lock, p.MaxNumberOfOperationsForNoValueTimeLock, txTime[c.writer], txWriter[c.writer], sidetree.Regtest()); err != nil {
			t.Errorf("%s: %d operations rejected: %v", c.writer, p.MaxNumberOfOperationsForNoValueTimeLock, err)
		}
	}
	// The valid lock: exactly its amount's worth of operations at its block's normalized fee.
	lock, _ := d.chain.locks.ValueTimeLock(ctx, valid.Identifier)
	if lock == nil || lock.AmountLocked != enough || lock.NormalizedFee != normalizedFee ||
		lock.UnlockTransactionTime-lock.LockTransactionTime != duration || lock.Owner != txWriter["valid"] {
		t.Fatalf("valid lock resolved as %+v", lock)
	}
	if n := ionrules.MaxOperationsAllowed(lock, sidetree.Regtest(), p); n != ops {
		t.Errorf("the valid lock allows %d operations, want %d", n, ops)
	}
	// A writer lock id that does not route to the lock endpoint voids even a small batch, as in ION.
	if _, err := d.chain.locks.ValueTimeLock(ctx, "a/b"); sidetree.CodeOf(err) != ionrules.CodeBlockchainGetLockResponseNotOk {
		t.Errorf("unroutable id: %v", err)
	}
}

// lockWriters are wallets of other ION writers, following the chain through one watcher.
type lockWriters struct {
	btc     *testnet.Node
	watcher *anchor.Watcher
	cursor  anchor.Cursor
	height  int64
	writers map[string]*anchor.Writer
}

func newLockWriters(t *testing.T, ctx context.Context, btc *testnet.Node, rpc *anchor.RPC, names ...string) *lockWriters {
	t.Helper()
	ws := &lockWriters{btc: btc, watcher: &anchor.Watcher{Chain: rpc, Genesis: anchor.RegtestGenesis}, writers: map[string]*anchor.Writer{}}
	for _, name := range names {
		key, err := anchor.GenerateKey(testnet.Params)
		if err != nil {
			t.Fatal(err)
		}
		ws.writers[name] = &anchor.Writer{Chain: rpc, Key: key, Store: &wallettest.MemStore{}, FeeMarkupPercent: 1, Logger: slog.New(slog.DiscardHandler)}
		if _, err := btc.Fund(ctx, key.Address(), btcutil.Amount(btcutil.SatoshiPerBitcoin)); err != nil {
			t.Fatal(err)
		}
	}
	ws.mine(t, ctx, 1)
	return ws
}

// mine mines n blocks and shows them to every writer.
func (ws *lockWriters) mine(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	if _, err := ws.btc.Generate(ctx, uint32(n)); err != nil {
		t.Fatal(err)
	}
	cur, err := ws.watcher.Poll(ctx, ws.cursor, func(ctx context.Context, ev anchor.Event, _ anchor.Cursor) error {
		b, ok := ev.(*anchor.Block)
		if !ok {
			return nil
		}
		ws.height = b.Height
		for _, w := range ws.writers {
			if err := w.ApplyBlock(ctx, b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ws.cursor = cur
}

func (ws *lockWriters) lock(t *testing.T, ctx context.Context, name string, amount, duration int64) anchor.ValueTimeLock {
	t.Helper()
	l, err := ws.writers[name].Lock(ctx, amount, duration)
	if err != nil {
		t.Fatalf("%s: lock: %v", name, err)
	}
	return l
}

func TestFeeHistory(t *testing.T) {
	var h feeHistory
	for height, fee := range []int64{400, 400, 401, 401, 401, 402, 400} {
		h.add(int64(height)+10, fee, 5)
	}
	// Kept: heights 12 to 16 (five blocks) in three runs.
	tests := []struct {
		height int64
		fee    int64
		ok     bool
	}{{11, 0, false}, {12, 401, true}, {14, 401, true}, {15, 402, true}, {16, 400, true}, {17, 0, false}}
	for _, tc := range tests {
		if fee, ok := h.at(tc.height); fee != tc.fee || ok != tc.ok {
			t.Errorf("at(%d) = %d, %v; want %d, %v", tc.height, fee, ok, tc.fee, tc.ok)
		}
	}
	if len(h.Runs) != 3 {
		t.Errorf("runs %+v", h.Runs)
	}
	c := h.clone()
	c.rewind(14)
	if _, ok := c.at(15); ok || c.Next != 15 {
		t.Errorf("after rewind to 14: %+v", c)
	}
	if fee, ok := h.at(15); !ok || fee != 402 {
		t.Errorf("rewinding the clone changed the original: %d %v", fee, ok)
	}
	c.add(15, 405, 5)
	if fee, _ := c.at(15); fee != 405 {
		t.Errorf("after the reorg block: %d", fee)
	}
	c.add(30, 407, 5) // not the next height: starts over
	if _, ok := c.at(15); ok || len(c.Runs) != 1 {
		t.Errorf("a gap kept old blocks: %+v", c)
	}
	c.rewind(3)
	if len(c.Runs) != 0 || c.Next != 0 {
		t.Errorf("rewound below everything: %+v", c)
	}
}
