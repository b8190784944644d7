package sidetree

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"net/http"
	"testing"
)

// seededReader is a deterministic randomness source for reproducible keys in tests.
type seededReader struct {
	seed    [32]byte
	counter uint64
}

func (r *seededReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		var block [40]byte
		copy(block[:], r.seed[:])
		binary.BigEndian.PutUint64(block[32:], r.counter)
		r.counter++
		sum := sha256.Sum256(block[:])
		n += copy(p[n:], sum[:])
	}
	return n, nil
}

func newSeeded(seed string) *seededReader { return &seededReader{seed: sha256.Sum256([]byte(seed))} }

func mustKey(t testing.TB, r *seededReader) JWK {
	t.Helper()
	k, err := GenerateES256K(r)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func docWithKey(t testing.TB, r *seededReader, id string) Document {
	t.Helper()
	k := mustKey(t, r)
	return Document{PublicKeys: []PublicKey{{ID: id, Type: "EcdsaSecp256k1VerificationKey2019", JWK: k.Public().Value(), Purposes: []string{PurposeAuthentication}}}}
}

// history collects anchored operations for one DID.
type history struct {
	t      testing.TB
	suffix string
	ops    []AnchoredOperation
}

func (h *history) add(body Value, txn uint64) {
	h.t.Helper()
	raw := body.Stringify()
	op, err := ParseOperation(raw)
	if err != nil {
		h.t.Fatalf("operation at %d does not parse: %v", txn, err)
	}
	h.ops = append(h.ops, AnchoredOperation{Type: op.Type, DIDSuffix: op.DIDSuffix, Raw: raw, TransactionNumber: txn, TransactionTime: txn})
}

// sorted returns the operations in (transaction number, index) order, as a store returns them.
func (h *history) sorted() []AnchoredOperation {
	out := append([]AnchoredOperation(nil), h.ops...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].TransactionNumber < out[j-1].TransactionNumber; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func keyIDs(s *State) []string {
	var ids []string
	for _, k := range field(s.Document, "publicKeys").Elems() {
		id, _ := field(k, "id").Str()
		ids = append(ids, id)
	}
	return ids
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestHistories(t *testing.T) {
	p := Mainnet().Latest()
	type scenario struct {
		name        string
		build       func(t *testing.T, r *seededReader) *history
		wantKeys    []string
		deactivated bool
		lastTxn     uint64
	}
	newDID := func(t *testing.T, r *seededReader) (h *history, recovery, update JWK, create *CreateRequest) {
		recovery, update = mustKey(t, r), mustKey(t, r)
		create, err := NewCreateRequest("ion", recovery, update, docWithKey(t, r, "k0"), p)
		if err != nil {
			t.Fatal(err)
		}
		return &history{t: t, suffix: create.DIDSuffix}, recovery, update, create
	}
	addKey := func(t *testing.T, r *seededReader, id string) UpdateChanges {
		return UpdateChanges{AddPublicKeys: docWithKey(t, r, id).PublicKeys}
	}
	scenarios := []scenario{
		{
			name: "duplicate creates: the first one applies, even with a delta that does not match its hash",
			build: func(t *testing.T, r *seededReader) *history {
				h, _, _, create := newDID(t, r)
				bad := create.Body.DeepCopy()
				d := field(bad, "delta")
				d.Set("patches", Array())
				bad.Set("delta", d)
				h.add(bad, 10)
				h.add(create.Body, 20)
				return h
			},
			wantKeys: nil, lastTxn: 10,
		},
		{
			name: "update with a wrong key is skipped; the right one applies",
			build: func(t *testing.T, r *seededReader) *history {
				h, _, update, create := newDID(t, r)
				h.add(create.Body, 10)
				stranger := mustKey(t, r)
				wrong, err := NewUpdateRequest(h.suffix, stranger, mustKey(t, r), addKey(t, r, "wrong"), p)
				if err != nil {
					t.Fatal(err)
				}
				h.add(wrong, 20)
				right, err := NewUpdateRequest(h.suffix, update, mustKey(t, r), addKey(t, r, "right"), p)
				if err != nil {
					t.Fatal(err)
				}
				h.add(right, 30)
				return h
			},
			wantKeys: []string{"k0", "right"}, lastTxn: 30,
		},
		{
			name: "update whose signature was made by another key is skipped",
			build: func(t *testing.T, r *seededReader) *history {
				h, _, update, create := newDID(t, r)
				h.add(create.Body, 10)
				good, err := NewUpdateRequest(h.suffix, update, mustKey(t, r), addKey(t, r, "forged"), p)
				if err != nil {
					t.Fatal(err)
				}
				other := mustKey(t, r)
				jws, _ := ParseCompactJWS(field(good, "signedData"))
				payload, _ := jws.PayloadValue()
				forged, err := SignES256K(payload, other)
				if err != nil {
					t.Fatal(err)
				}
				good.Set("signedData", String(forged.Compact()))
				h.add(good, 20)
				return h
			},
			wantKeys: []string{"k0"}, lastTxn: 10,
		},
		{
			name: "recover resets the document; old update key no longer works; updates after recovery apply",
			build: func(t *testing.T, r *seededReader) *history {
				h, recovery, update, create := newDID(t, r)
				h.add(create.Body, 10)
				nextUpdate := mustKey(t, r)
				u1, _ := NewUpdateRequest(h.suffix, update, nextUpdate, addKey(t, r, "before"), p)
				h.add(u1, 20)
				newRecovery, newUpdate := mustKey(t, r), mustKey(t, r)
				rec, err := NewRecoverRequest(h.suffix, recovery, newRecovery, newUpdate, docWithKey(t, r, "fresh"), p)
				if err != nil {
					t.Fatal(err)
				}
				h.add(rec, 30)
				stale, _ := NewUpdateRequest(h.suffix, nextUpdate, mustKey(t, r), addKey(t, r, "stale"), p)
				h.add(stale, 40)
				after, _ := NewUpdateRequest(h.suffix, newUpdate, mustKey(t, r), addKey(t, r, "after"), p)
				h.add(after, 50)
				return h
			},
			wantKeys: []string{"fresh", "after"}, lastTxn: 50,
		},
		{
			name: "an update anchored before the recovery applies after it when it opens the recovered commitment",
			build: func(t *testing.T, r *seededReader) *history {
				h, recovery, _, create := newDID(t, r)
				h.add(create.Body, 10)
				newRecovery, newUpdate := mustKey(t, r), mustKey(t, r)
				early, _ := NewUpdateRequest(h.suffix, newUpdate, mustKey(t, r), addKey(t, r, "early"), p)
				h.add(early, 20)
				rec, _ := NewRecoverRequest(h.suffix, recovery, newRecovery, newUpdate, docWithKey(t, r, "fresh"), p)
				h.add(rec, 30)
				return h
			},
			wantKeys: []string{"fresh", "early"}, lastTxn: 20,
		},
		{
			name: "deactivate ends the DID; later operations do nothing",
			build: func(t *testing.T, r *seededReader) *history {
				h, recovery, update, create := newDID(t, r)
				h.add(create.Body, 10)
				deact, _ := NewDeactivateRequest(h.suffix, recovery, p)
				h.add(deact, 20)
				u, _ := NewUpdateRequest(h.suffix, update, mustKey(t, r), addKey(t, r, "late"), p)
				h.add(u, 30)
				rec, _ := NewRecoverRequest(h.suffix, recovery, mustKey(t, r), mustKey(t, r), docWithKey(t, r, "late2"), p)
				h.add(rec, 40)
				return h
			},
			deactivated: true, lastTxn: 20,
		},
		{
			name: "an update that commits back to a used commitment is not accepted",
			build: func(t *testing.T, r *seededReader) *history {
				h, _, update, create := newDID(t, r)
				h.add(create.Body, 10)
				second := mustKey(t, r)
				u1, _ := NewUpdateRequest(h.suffix, update, second, addKey(t, r, "one"), p)
				h.add(u1, 20)
				u2, _ := NewUpdateRequest(h.suffix, second, update, addKey(t, r, "two"), p) // back to the first commitment
				h.add(u2, 30)
				return h
			},
			wantKeys: []string{"k0", "one"}, lastTxn: 20,
		},
		{
			name: "an update that commits to its own commitment is not accepted",
			build: func(t *testing.T, r *seededReader) *history {
				h, _, update, create := newDID(t, r)
				h.add(create.Body, 10)
				same, _ := NewUpdateRequest(h.suffix, update, update, addKey(t, r, "loop"), p)
				h.add(same, 20)
				return h
			},
			wantKeys: []string{"k0"}, lastTxn: 10,
		},
		{
			name: "updates anchored out of chain order still chain",
			build: func(t *testing.T, r *seededReader) *history {
				h, _, update, create := newDID(t, r)
				h.add(create.Body, 10)
				second, third := mustKey(t, r), mustKey(t, r)
				u2, _ := NewUpdateRequest(h.suffix, second, third, addKey(t, r, "two"), p)
				h.add(u2, 20)
				u1, _ := NewUpdateRequest(h.suffix, update, second, addKey(t, r, "one"), p)
				h.add(u1, 30)
				return h
			},
			wantKeys: []string{"k0", "one", "two"}, lastTxn: 20,
		},
		{
			name: "two updates opening the same commitment: the earlier transaction wins",
			build: func(t *testing.T, r *seededReader) *history {
				h, _, update, create := newDID(t, r)
				h.add(create.Body, 10)
				a, _ := NewUpdateRequest(h.suffix, update, mustKey(t, r), addKey(t, r, "late"), p)
				h.add(a, 40)
				b, _ := NewUpdateRequest(h.suffix, update, mustKey(t, r), addKey(t, r, "early"), p)
				h.add(b, 30)
				return h
			},
			wantKeys: []string{"k0", "early"}, lastTxn: 30,
		},
		{
			name: "operations arriving before their create are applied once it is anchored",
			build: func(t *testing.T, r *seededReader) *history {
				h, recovery, _, create := newDID(t, r)
				rec, _ := NewRecoverRequest(h.suffix, recovery, mustKey(t, r), mustKey(t, r), docWithKey(t, r, "recovered"), p)
				h.add(rec, 5)
				h.add(create.Body, 10)
				return h
			},
			wantKeys: []string{"recovered"}, lastTxn: 5,
		},
	}
	for i, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			h := sc.build(t, newSeeded(sc.name))
			state, err := Resolve(h.sorted())
			if err != nil {
				t.Fatal(err)
			}
			if state == nil {
				t.Fatal("no state")
			}
			if state.Deactivated() != sc.deactivated {
				t.Fatalf("deactivated = %v", state.Deactivated())
			}
			if !sc.deactivated && !equalStrings(keyIDs(state), sc.wantKeys) {
				t.Errorf("keys %v, want %v", keyIDs(state), sc.wantKeys)
			}
			if state.LastOperationTransaction != sc.lastTxn {
				t.Errorf("last transaction %d, want %d", state.LastOperationTransaction, sc.lastTxn)
			}
			did, _ := ParseDID("did:ion:"+h.suffix, "ion", p)
			res := ResolveDID(did, h.sorted())
			checkAppendResolveDID(t, did, h.sorted())
			wantStatus := http.StatusOK
			if sc.deactivated {
				wantStatus = http.StatusGone
			}
			if res.Status != wantStatus {
				t.Errorf("status %d, want %d (scenario %d)", res.Status, wantStatus, i)
			}
			// The node resolves with the verdicts it stored at ingest: the answer must not change.
			withVerdicts := h.sorted()
			for j := range withVerdicts {
				withVerdicts[j].Verdict = ComputeVerdict(withVerdicts[j].Raw)
			}
			if got := ResolveDID(did, withVerdicts); got.Status != res.Status || !bytes.Equal(got.Body.Stringify(), res.Body.Stringify()) {
				t.Errorf("with stored verdicts: %d %s, verifying: %d %s", got.Status, got.Body, res.Status, res.Body)
			}
		})
	}
}
