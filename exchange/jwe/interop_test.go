package jwe_test

import (
	"encoding/json"
	"testing"

	"github.com/ionode/ionode/exchange/jwe"
	"github.com/ionode/ionode/internal/nodetest"
)

// TestJoseInterop: responses encrypted by an independent JOSE implementation (panva/jose in Node.js,
// as browser and Node wallets use it) to a request's offered key decrypt, for each offered enc; and
// one encrypted to another request's key does not.
func TestJoseInterop(t *testing.T) {
	nodetest.Require(t, "../interop", "jose")
	k, err := jwe.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	other, err := jwe.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := json.Marshal(k.Public())
	otherPub, _ := json.Marshal(other.Public())
	const plaintext = `{"vp_token":{"credential_0":["eyJ.e30.c2ln"]},"state":"s-1","id_token":"x"}`
	in := []map[string]any{
		{"jwk": json.RawMessage(pub), "enc": jwe.A128GCM, "plaintext": plaintext},
		{"jwk": json.RawMessage(pub), "enc": jwe.A256GCM, "plaintext": plaintext},
		{"jwk": json.RawMessage(otherPub), "enc": jwe.A128GCM, "plaintext": plaintext},
	}
	var out []string
	nodetest.RunJSON(t, "../interop", "encrypt.mjs", nil, in, &out)
	if len(out) != len(in) {
		t.Fatalf("%d JWEs for %d inputs", len(out), len(in))
	}
	for i, enc := range []string{jwe.A128GCM, jwe.A256GCM} {
		got, err := k.Decrypt(out[i], nil)
		if err != nil || string(got) != plaintext {
			t.Errorf("%s: %q, %v", enc, got, err)
		}
	}
	// Encrypted to another key, relabelled or not: refused.
	if _, err := k.Decrypt(out[2], nil); err == nil {
		t.Error("a JWE for another key decrypted")
	}
	if got, err := other.Decrypt(out[2], nil); err != nil || string(got) != plaintext {
		t.Errorf("the other key: %q, %v", got, err)
	}
}
