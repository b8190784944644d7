package sidetree

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzPayloadReader: a PayloadReader reads each payload as JWS.PayloadValue does (the same value or the
// same error code), and a payload it returned is unchanged by the ones it reads after it.
func FuzzPayloadReader(f *testing.F) {
	for _, pair := range [][2]string{
		{`{"updateKey":{"kty":"EC","crv":"secp256k1","x":"AAAA","y":"BBBB"},"deltaHash":"EiAAAA"}`, `{"a":[1,2,{"b":"c"}]}`},
		{`{"__proto__":{"x":1}}`, `[1e-7]`},
		{`{"a":"\u005cn"}`, strings.Repeat(`{"k":`, 20) + `1` + strings.Repeat(`}`, 20)},
		{"\xff{}", `{"a":1,"a":2}`},
	} {
		f.Add(EncodeBase64URL([]byte(pair[0])), EncodeBase64URL([]byte(pair[1])))
	}
	f.Add("not base64!", "QUJDR")
	f.Add(strings.Repeat("e30", 8000), "e30")
	f.Fuzz(func(t *testing.T, a, b string) {
		var r PayloadReader
		va, errA := r.Value(JWS{Payload: a})
		wantA := samePayload(t, a, va, errA)
		vb, errB := r.Value(JWS{Payload: b})
		samePayload(t, b, vb, errB)
		if errA == nil && !bytes.Equal(va.Stringify(), wantA) {
			t.Fatalf("payload %q read as %s changed to %s after the next", a, wantA, va.Stringify())
		}
	})
}

// samePayload checks the reader's v and err against JWS.PayloadValue's, and returns v's text.
func samePayload(t *testing.T, payload string, v Value, err error) []byte {
	t.Helper()
	want, wantErr := JWS{Payload: payload}.PayloadValue()
	if (err == nil) != (wantErr == nil) || CodeOf(err) != CodeOf(wantErr) {
		t.Fatalf("payload %q: reader error %v, PayloadValue's %v", payload, err, wantErr)
	}
	if err != nil {
		return nil
	}
	if got, w := v.Stringify(), want.Stringify(); !bytes.Equal(got, w) {
		t.Fatalf("payload %q: reader read %s, PayloadValue %s", payload, got, w)
	}
	return v.Stringify()
}
