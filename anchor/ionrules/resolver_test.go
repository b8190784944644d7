package ionrules

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
	"github.com/ionode/ionode/sidetree"
)

// memChain is an in-memory chain of lock transactions for the resolver tests (the chain side implements
// LockTransactionSource over rpcclient; this holds the same data a node would return).
type memChain struct {
	txs  map[chainhash.Hash]LockTransaction
	down bool
}

func (c *memChain) LockTransaction(_ context.Context, txid chainhash.Hash) (LockTransaction, error) {
	if c.down {
		return LockTransaction{}, errors.New("connection refused")
	}
	tx, ok := c.txs[txid]
	if !ok {
		return LockTransaction{}, ErrTransactionNotFound
	}
	return tx, nil
}

// refFees are the normalized fees the reference scenarios use: 1000 + height % 7 for blocks 667,000 to
// 710,000.
type refFees struct{}

func (refFees) NormalizedFee(_ context.Context, h int64) (int64, bool, error) {
	if h < 667_000 || h > 710_000 {
		return 0, false, nil
	}
	return 1000 + h%7, true, nil
}

// TestResolveLockMatchesReference runs testdata/resolver_reference.json, made by ION's LockResolver over
// the same transactions: node testdata/refgen/resolver.js (see there).
func TestResolveLockMatchesReference(t *testing.T) {
	raw, err := os.ReadFile("testdata/resolver_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var scenarios []struct {
		Name       string
		Identifier string
		Txs        []struct {
			Hex           string
			Confirmations int
			Height        int64
		}
		WantCode string
		Want     *struct {
			Identifier            string
			AmountLocked          int64
			LockTransactionTime   int64
			UnlockTransactionTime int64
			NormalizedFee         int64
			Owner                 string
		}
	}
	if err := json.Unmarshal(raw, &scenarios); err != nil {
		t.Fatal(err)
	}
	for _, sc := range scenarios {
		chain := &memChain{txs: map[chainhash.Hash]LockTransaction{}}
		for _, x := range sc.Txs {
			b, _ := hex.DecodeString(x.Hex)
			var tx wire.MsgTx
			if err := tx.Deserialize(bytes.NewReader(b)); err != nil {
				t.Fatal(err)
			}
			chain.txs[tx.TxHash()] = LockTransaction{Tx: &tx, Confirmed: x.Confirmations > 0, BlockHeight: x.Height}
		}
		got, err := ResolveLock(context.Background(), sc.Identifier, chain, refFees{}, BitcoinMainnet())
		wantCode := sc.WantCode
		if strings.HasPrefix(wantCode, "error: No such") { // the RPC error escapes the reference's catch
			wantCode = string(CodeLockResolverTransactionNotFound)
		}
		if string(sidetree.CodeOf(err)) != wantCode || (err != nil) != (wantCode != "") {
			t.Errorf("%s: ResolveLock = %+v, %v; want code %q", sc.Name, got, err, wantCode)
			continue
		}
		if err != nil {
			continue
		}
		w := sc.Want
		want := ValueTimeLock{Identifier: w.Identifier, AmountLocked: w.AmountLocked, LockTransactionTime: w.LockTransactionTime,
			UnlockTransactionTime: w.UnlockTransactionTime, NormalizedFee: w.NormalizedFee, Owner: w.Owner}
		if *got != want {
			t.Errorf("%s: ResolveLock = %+v, reference %+v", sc.Name, *got, want)
		}
	}
}

// A chain that cannot answer is not "no lock": the error is returned for the caller to retry.
func TestResolveLockChainUnavailable(t *testing.T) {
	pkh := bytes.Repeat([]byte{7}, 20)
	script, _ := LockScript(4500, pkh)
	id := NewLockIdentifier(chainhash.Hash{1}, script).String()
	_, err := ResolveLock(context.Background(), id, &memChain{down: true}, refFees{}, BitcoinMainnet())
	if err == nil || sidetree.CodeOf(err) != "" {
		t.Errorf("chain down: %v, want a non-protocol error", err)
	}
}

// TestLockRoundTrip builds a lock as the writer does and resolves it, then checks what it allows.
func TestLockRoundTrip(t *testing.T) {
	pkh := bytes.Repeat([]byte{0xab}, 20)
	script, err := LockScript(4500, pkh)
	if err != nil {
		t.Fatal(err)
	}
	tx := wire.NewMsgTx(2)
	tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{Index: 3}, nil, nil))
	amount := LockAmountForOperations(1000, 10_000, v1)
	tx.AddTxOut(wire.NewTxOut(amount, LockOutputScript(script)))
	chain := &memChain{txs: map[chainhash.Hash]LockTransaction{tx.TxHash(): {Tx: tx, Confirmed: true, BlockHeight: 700_000}}}
	id := NewLockIdentifier(tx.TxHash(), script)
	lock, err := ResolveLock(context.Background(), id.String(), chain, refFees{}, BitcoinMainnet())
	if err != nil {
		t.Fatal(err)
	}
	writer := hex.EncodeToString(pkh)
	if lock.Owner != writer || lock.AmountLocked != 600_000_000 || lock.UnlockTransactionTime != 704_500 || lock.NormalizedFee != 1000 {
		t.Fatalf("lock = %+v", lock)
	}
	if err := VerifyLockAmount(lock, 10_000, 704_499, writer, sidetree.Mainnet()); err != nil {
		t.Errorf("full batch in the lock's last block: %v", err)
	}
	if err := VerifyLockAmount(lock, 10_000, 704_500, writer, sidetree.Mainnet()); sidetree.CodeOf(err) != sidetree.CodeValueTimeLockVerifierTransactionTimeOutsideLockRange {
		t.Errorf("full batch at the unlock block: %v", err)
	}
}

// TestCoreLock checks the three outcomes the core can see for a writerLockId.
func TestCoreLock(t *testing.T) {
	pkh := bytes.Repeat([]byte{0xab}, 20)
	script, _ := LockScript(4500, pkh)
	tx := wire.NewMsgTx(2)
	tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{Index: 1}, nil, nil))
	tx.AddTxOut(wire.NewTxOut(600_000_000, LockOutputScript(script)))
	chain := &memChain{txs: map[chainhash.Hash]LockTransaction{tx.TxHash(): {Tx: tx, Confirmed: true, BlockHeight: 700_000}}}
	valid := NewLockIdentifier(tx.TxHash(), script).String()
	unknown := NewLockIdentifier(chainhash.Hash{9}, script).String()
	ctx := context.Background()
	tests := []struct {
		name   string
		id     string
		chain  *memChain
		lock   bool
		code   sidetree.Code
		failed bool // a non-protocol error: retry
	}{
		{"valid", valid, chain, true, "", false},
		{"unknown transaction: 404, no lock", unknown, chain, false, "", false},
		{"not an identifier: 404, no lock", "bm90IGFuIGlk", chain, false, "", false},
		{"unroutable: discard", valid + "/x", chain, false, CodeBlockchainGetLockResponseNotOk, true},
		{"chain down: retry", valid, &memChain{down: true}, false, "", true},
	}
	for _, tc := range tests {
		lock, err := CoreLock(ctx, tc.id, tc.chain, refFees{}, BitcoinMainnet())
		if (lock != nil) != tc.lock || (err != nil) != tc.failed || sidetree.CodeOf(err) != tc.code {
			t.Errorf("%s: lock %+v, err %v", tc.name, lock, err)
		}
	}
}
