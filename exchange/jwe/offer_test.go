package jwe

import (
	"encoding/json"
	"errors"
	"testing"
)

// TestOffered: the wallet encrypts to the verifier's P-256 encryption key with an offered enc, and what
// it reads from Offered decrypts under the verifier's private key.
func TestOffered(t *testing.T) {
	k := newKey(t)
	pub, _ := json.Marshal(k.Public())
	sig := newKey(t).Public()
	sig.Use = "sig"
	sigJSON, _ := json.Marshal(sig)
	rsa := `{"kty":"RSA","n":"sXch","e":"AQAB"}`
	set := func(keys ...string) json.RawMessage {
		s := `{"keys":[`
		for i, key := range keys {
			if i > 0 {
				s += ","
			}
			s += key
		}
		return json.RawMessage(s + `]}`)
	}
	tests := []struct {
		name    string
		jwks    json.RawMessage
		encs    []string
		wantEnc string
		err     error
	}{
		{"the key, default enc", set(string(pub)), nil, A128GCM, nil},
		{"first supported enc", set(string(pub)), []string{"A192GCM", A256GCM}, A256GCM, nil},
		{"signing key and unreadable key skipped", set(string(sigJSON), rsa, `{"kty":"EC"}`, string(pub)), nil, A128GCM, nil},
		{"no enc supported", set(string(pub)), []string{"A192GCM"}, "", ErrNoKey},
		{"only a signing key", set(string(sigJSON)), nil, "", ErrNoKey},
		{"no keys", set(), nil, "", ErrNoKey},
		{"not a set", json.RawMessage(`[1]`), nil, "", ErrNoKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, enc, err := Offered(tt.jwks, tt.encs)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || enc != tt.wantEnc || key.KeyID != k.KID() {
				t.Fatalf("key %s enc %s err %v", key.KeyID, enc, err)
			}
			plain, err := k.Decrypt(encrypt(t, key, enc, `{"vp_token":"x"}`), nil)
			if err != nil || string(plain) != `{"vp_token":"x"}` {
				t.Fatalf("%s, %v", plain, err)
			}
		})
	}
}
