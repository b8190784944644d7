//go:build cgo

package interop

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/internal/softhsmtest"
	"github.com/ionode/ionode/resolver/key"
	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/pkcs11"
)

// TestTokenIssuer issues credentials with issuer keys generated inside a SoftHSM2 token and has
// did-jwt-vc (npm, an independent implementation) verify them.
func TestTokenIssuer(t *testing.T) {
	requireNode(t)
	ctx := context.Background()
	cfg := softhsmtest.Token(t, "ionode", "unused")
	var cmds []map[string]any
	var names []string
	for _, alg := range []signer.Algorithm{signer.ES256K, signer.ES256, signer.EdDSA} {
		c := cfg
		c.URI.Object = "issuer-" + strings.ToLower(string(alg))
		k, err := pkcs11.Generate(ctx, c, alg)
		if err != nil {
			t.Fatal(err)
		}
		defer k.Close()
		did, err := key.DIDKey(k.Public())
		if err != nil {
			t.Fatal(err)
		}
		s, err := credential.NewKeySigner(did+"#"+strings.TrimPrefix(did, "did:key:"), signer.Checked(k))
		if err != nil {
			t.Fatal(err)
		}
		if s.PrivateKey() != nil {
			t.Fatal("a token key exposes a private key")
		}
		jwt, err := (&credential.Issuer{Signer: s}).Issue(credential.Claims{Types: []string{"VerifiedEmployee"},
			Subject: map[string]any{"id": "did:example:alice", "name": "Alice"}, ValidUntil: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, map[string]any{"op": "verifyCredential", "jwt": jwt})
		names = append(names, string(alg))
		// Tampering must be caught by the JS side too, or the check above proves nothing.
		parts := strings.Split(jwt, ".")
		sig := []byte(parts[2])
		sig[3] ^= 'A' ^ 'B'
		cmds = append(cmds, map[string]any{"op": "verifyCredential", "jwt": parts[0] + "." + parts[1] + "." + string(sig)})
		names = append(names, string(alg)+" tampered")
	}
	res := node(t, nil, cmds)
	for i, r := range res {
		ok := (r.OK == nil || *r.OK) && r.Error == ""
		if want := !strings.HasSuffix(names[i], "tampered"); ok != want {
			t.Errorf("%s: did-jwt-vc ok=%v (error %q), want %v", names[i], ok, r.Error, want)
		}
	}
}
