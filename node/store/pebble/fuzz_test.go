package pebble

import (
	"reflect"
	"testing"
	"time"

	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

// FuzzDecodeRecords feeds arbitrary bytes to every stored-record decoder: a damaged data directory must
// yield errors, never panics, and whatever decodes must survive re-encoding unchanged.
func FuzzDecodeRecords(f *testing.F) {
	f.Add(encodeTransaction(node.Transaction{Number: 1_000_001, Time: 1, TimeHash: "h", AnchorString: "1.Qm", FeePaid: 2, NormalizedFee: 3, Writer: "w"}))
	f.Add(encodeUnresolvable(node.Unresolvable{Transaction: node.Transaction{Number: 5}, Attempts: 2, FirstFetch: time.Unix(1, 2), NextRetry: time.Unix(3, 4)}))
	f.Add(encodeQueued(store.QueuedOperation{DIDSuffix: "s", Type: "update", Request: []byte("{}"), Enqueued: time.Unix(9, 9)}))
	f.Add(encodeUTXO(store.UTXO{Value: 5, PkScript: []byte{0x51}, Height: 3, ReservedBy: "r"}))
	f.Add(encodePendingTx(store.PendingTx{Raw: []byte{1}, Kind: "anchor", Anchor: "1.Qm", Created: time.Unix(5, 0), Status: "broadcast", Fee: 9}))
	f.Add(operationKey("suffix", 7, 3))
	f.Add(encodeOperationValue(sidetree.AnchoredOperation{Type: sidetree.OpUpdate, TransactionTime: 7, Raw: []byte(`{"type":"update"}`), Verdict: sidetree.VerdictValid}))
	f.Add([]byte("\x06update\x07{}")) // as versions before verdicts wrote it
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if tx, err := decodeTransaction(b); err == nil {
			if again, err := decodeTransaction(encodeTransaction(tx)); err != nil || again != tx {
				t.Fatalf("transaction %+v re-decodes as %+v, %v", tx, again, err)
			}
		}
		if u, err := decodeUnresolvable(b); err == nil {
			again, err := decodeUnresolvable(encodeUnresolvable(u))
			if err != nil || again.Transaction != u.Transaction || again.Attempts != u.Attempts || !again.FirstFetch.Equal(u.FirstFetch) || !again.NextRetry.Equal(u.NextRetry) {
				t.Fatalf("unresolvable %+v re-decodes as %+v, %v", u, again, err)
			}
		}
		if q, err := decodeQueued(1, b); err == nil {
			again, err := decodeQueued(1, encodeQueued(q))
			q.Enqueued, again.Enqueued = time.Time{}, time.Time{}
			if err != nil || !reflect.DeepEqual(q, again) {
				t.Fatalf("queued %+v re-decodes as %+v, %v", q, again, err)
			}
		}
		if u, err := decodeUTXO("t", 0, b); err == nil {
			if again, err := decodeUTXO("t", 0, encodeUTXO(u)); err != nil || !reflect.DeepEqual(u, again) {
				t.Fatalf("utxo %+v re-decodes as %+v, %v", u, again, err)
			}
		}
		if p, err := decodePendingTx("t", b); err == nil {
			again, err := decodePendingTx("t", encodePendingTx(p))
			p.Created, again.Created = time.Time{}, time.Time{}
			if err != nil || !reflect.DeepEqual(p, again) {
				t.Fatalf("pending %+v re-decodes as %+v, %v", p, again, err)
			}
		}
		if suffix, txnum, index, ok := parseOperationKey(b); ok {
			if k := operationKey(suffix, txnum, index); string(k) != string(b) {
				t.Fatalf("operation key %x re-encodes as %x", b, k)
			}
			decodeOperation(b, b)
		}
		if ov, err := decodeOperationValue(b); err == nil {
			op := sidetree.AnchoredOperation{Type: ov.typ, TransactionTime: ov.time, Raw: ov.raw, Verdict: ov.verdict}
			again := encodeOperationValue(op)
			if !ov.legacy && string(again) != string(b) {
				t.Fatalf("operation value %x re-encodes as %x", b, again)
			}
			if back, err := decodeOperationValue(again); err != nil || back.typ != ov.typ || back.time != ov.time || back.verdict != ov.verdict || string(back.raw) != string(ov.raw) {
				t.Fatalf("operation value %x re-decodes as %+v, %v", b, back, err)
			}
		}
		if txid, vout, ok := parseUTXOKey(b); ok {
			if k := utxoKey(txid, vout); string(k) != string(b) {
				t.Fatalf("utxo key %x re-encodes as %x", b, k)
			}
		}
	})
}
