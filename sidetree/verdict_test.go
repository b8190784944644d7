package sidetree

import (
	"bytes"
	"testing"
)

// verdictFixture is one DID's create, update, recover and deactivate, each valid, plus the keys.
type verdictFixture struct {
	create                       *CreateRequest
	update, recover, deactivate  Value
	stranger, forgedSig          Value
	recoveryKey, updateKey, next JWK
}

func newVerdictFixture(t *testing.T) verdictFixture {
	t.Helper()
	p := Mainnet().Latest()
	r := newSeeded(t.Name())
	f := verdictFixture{recoveryKey: mustKey(t, r), updateKey: mustKey(t, r), next: mustKey(t, r)}
	var err error
	if f.create, err = NewCreateRequest("ion", f.recoveryKey, f.updateKey, docWithKey(t, r, "k0"), p); err != nil {
		t.Fatal(err)
	}
	suffix := f.create.DIDSuffix
	if f.update, err = NewUpdateRequest(suffix, f.updateKey, f.next, UpdateChanges{AddPublicKeys: docWithKey(t, r, "k1").PublicKeys}, p); err != nil {
		t.Fatal(err)
	}
	if f.recover, err = NewRecoverRequest(suffix, f.recoveryKey, f.next, f.next, docWithKey(t, r, "k2"), p); err != nil {
		t.Fatal(err)
	}
	if f.deactivate, err = NewDeactivateRequest(suffix, f.recoveryKey, p); err != nil {
		t.Fatal(err)
	}
	// Signed by a key the DID does not commit to: the signature verifies under the key it reveals.
	if f.stranger, err = NewUpdateRequest(suffix, mustKey(t, r), f.next, UpdateChanges{}, p); err != nil {
		t.Fatal(err)
	}
	// The update with another operation's signature: it parses, and does not verify.
	f.forgedSig = f.update.DeepCopy()
	own, _ := field(f.update, "signedData").Str()
	other, _ := field(f.stranger, "signedData").Str()
	f.forgedSig.Set("signedData", String(own[:bytes.LastIndexByte([]byte(own), '.')]+other[bytes.LastIndexByte([]byte(other), '.'):]))
	return f
}

func TestComputeVerdict(t *testing.T) {
	f := newVerdictFixture(t)
	for _, tc := range []struct {
		name string
		raw  []byte
		want Verdict
	}{
		{"create (no signature)", f.create.Body.Stringify(), VerdictInvalid},
		{"update", f.update.Stringify(), VerdictValid},
		{"recover", f.recover.Stringify(), VerdictValid},
		{"deactivate", f.deactivate.Stringify(), VerdictValid},
		{"update signed by a key the DID does not commit to", f.stranger.Stringify(), VerdictValid},
		{"update with another operation's signature", f.forgedSig.Stringify(), VerdictInvalid},
		{"not an operation", []byte(`{"type":"update"}`), VerdictInvalid},
		{"not JSON", []byte(`{`), VerdictInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ComputeVerdict(tc.raw); got != tc.want {
				t.Errorf("ComputeVerdict = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestVerdictDecidesTheSignature shows that a known verdict, not the curve arithmetic, decides the
// signature check (which is why a verdict must only ever travel with the bytes it was computed from),
// while the commitment checks still run.
func TestVerdictDecidesTheSignature(t *testing.T) {
	f := newVerdictFixture(t)
	create := AnchoredOperation{Type: OpCreate, DIDSuffix: f.create.DIDSuffix, Raw: f.create.Body.Stringify(), TransactionNumber: 1}
	anchored := func(body Value, typ OperationType, v Verdict) AnchoredOperation {
		return AnchoredOperation{Type: typ, DIDSuffix: f.create.DIDSuffix, Raw: body.Stringify(), TransactionNumber: 2, Verdict: v}
	}
	for _, tc := range []struct {
		name    string
		op      AnchoredOperation
		applies bool
	}{
		{"valid update, verified", anchored(f.update, OpUpdate, VerdictUnknown), true},
		{"valid update, stored valid", anchored(f.update, OpUpdate, VerdictValid), true},
		{"valid update, stored invalid", anchored(f.update, OpUpdate, VerdictInvalid), false},
		{"forged signature, verified", anchored(f.forgedSig, OpUpdate, VerdictUnknown), false},
		{"forged signature, stored invalid", anchored(f.forgedSig, OpUpdate, VerdictInvalid), false},
		{"forged signature, stored valid (a verdict taken from other bytes)", anchored(f.forgedSig, OpUpdate, VerdictValid), true},
		{"stranger's key, stored valid: the commitment still refuses it", anchored(f.stranger, OpUpdate, VerdictValid), false},
		{"valid recover, stored invalid", anchored(f.recover, OpRecover, VerdictInvalid), false},
		{"valid recover, stored valid", anchored(f.recover, OpRecover, VerdictValid), true},
		{"valid deactivate, stored invalid", anchored(f.deactivate, OpDeactivate, VerdictInvalid), false},
		{"valid deactivate, stored valid", anchored(f.deactivate, OpDeactivate, VerdictValid), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state, err := Resolve([]AnchoredOperation{create, tc.op})
			if err != nil || state == nil {
				t.Fatalf("Resolve: %v, %v", state, err)
			}
			if applied := state.LastOperationTransaction == 2; applied != tc.applies {
				t.Errorf("applied = %v, want %v", applied, tc.applies)
			}
		})
	}
}
