package sidetree

import (
	"strings"
	"testing"
)

// partsBody is the request body a batch composes from a signed operation's parts (batch.Compose).
func partsBody(t OperationType, didSuffix, reveal, signedData string, delta Value) []byte {
	members := []Member{{Key: "type", Value: String(string(t))}, {Key: "didSuffix", Value: String(didSuffix)},
		{Key: "revealValue", Value: String(reveal)}, {Key: "signedData", Value: String(signedData)}}
	if !delta.IsUndefined() {
		members = append(members, Member{Key: "delta", Value: delta})
	}
	return Object(members...).Stringify()
}

// partsOf takes a signed request body apart as a batch's files carry it.
func partsOf(body Value) (t OperationType, didSuffix, reveal, signedData string, delta Value) {
	s := func(k string) string { v, _ := field(body, k).Str(); return v }
	return OperationType(s("type")), s("didSuffix"), s("revealValue"), s("signedData"), field(body, "delta")
}

// TestPartsVerdict: the verdict from a signed operation's parts is ComputeVerdict's of the body those
// parts compose, for valid, forged and mismatched operations of every type.
func TestPartsVerdict(t *testing.T) {
	f := newVerdictFixture(t)
	update, _ := field(f.update, "signedData").Str()
	recoverJWS, _ := field(f.recover, "signedData").Str()
	with := func(body Value, key, value string) Value {
		c := body.DeepCopy()
		c.Set(key, String(value))
		return c
	}
	tests := []struct {
		name string
		body Value
		want Verdict
	}{
		{"update", f.update, VerdictValid},
		{"recover", f.recover, VerdictValid},
		{"deactivate", f.deactivate, VerdictValid},
		{"update signed by a key the DID does not commit to", f.stranger, VerdictValid},
		{"update with another operation's signature", f.forgedSig, VerdictInvalid},
		{"update revealing another key", with(f.update, "revealValue", RevealValueOf(f.recoveryKey.Value())), VerdictInvalid},
		{"deactivate of another DID", with(f.deactivate, "didSuffix", RevealValueOf(f.updateKey.Value())), VerdictInvalid},
		{"update carrying a recover's signed data", with(f.update, "signedData", recoverJWS), VerdictInvalid},
		{"recover carrying an update's signed data", with(f.recover, "signedData", update), VerdictInvalid},
		{"not a JWS", with(f.update, "signedData", "a.b"), VerdictInvalid},
		{"not a multihash", with(f.update, "didSuffix", "x"), VerdictInvalid},
		{"create type", with(f.update, "type", "create"), VerdictInvalid},
		{"unknown type", with(f.update, "type", "rotate"), VerdictInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			typ, suffix, reveal, jws, delta := partsOf(tc.body)
			got := PartsVerdict(typ, suffix, reveal, jws)
			if want := ComputeVerdict(partsBody(typ, suffix, reveal, jws, delta)); got != want || got != tc.want {
				t.Errorf("PartsVerdict = %s, ComputeVerdict of the body = %s, want %s", got, want, tc.want)
			}
		})
	}
}

// FuzzPartsVerdict: whatever the parts, PartsVerdict is ComputeVerdict of the body they compose (with a
// valid delta: a chunk file that reads has only those).
func FuzzPartsVerdict(f *testing.F) {
	p := Mainnet().Latest()
	r := newSeeded("FuzzPartsVerdict")
	create, err := NewCreateRequest("ion", mustKey(f, r), mustKey(f, r), Document{}, p)
	if err != nil {
		f.Fatal(err)
	}
	u, err := NewUpdateRequest(create.DIDSuffix, mustKey(f, r), mustKey(f, r), UpdateChanges{}, p)
	if err != nil {
		f.Fatal(err)
	}
	typ, suffix, reveal, jws, delta := partsOf(u)
	f.Add(string(typ), suffix, reveal, jws)
	f.Add("deactivate", suffix, reveal, jws[:strings.LastIndexByte(jws, '.')]+".AAAA")
	f.Fuzz(func(t *testing.T, typ, suffix, reveal, jws string) {
		body := partsBody(OperationType(typ), suffix, reveal, jws, Value{})
		if OperationType(typ) == OpUpdate || OperationType(typ) == OpRecover {
			body = partsBody(OperationType(typ), suffix, reveal, jws, delta)
		}
		if got, want := PartsVerdict(OperationType(typ), suffix, reveal, jws), ComputeVerdict(body); got != want {
			t.Fatalf("PartsVerdict = %s, ComputeVerdict of %s = %s", got, body, want)
		}
	})
}
