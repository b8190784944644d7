package key_test

import (
	"context"
	"testing"

	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/key"
)

// FuzzResolve: any did:key or did:jwk DID (the issuer or holder of a presented credential) resolves or
// fails without panicking, and a resolved document names the DID and yields its key.
func FuzzResolve(f *testing.F) {
	f.Add("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
	f.Add("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme")
	f.Add("did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9")
	f.Add("did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJIQzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9")
	f.Fuzz(func(t *testing.T, did string) {
		for _, m := range []resolver.Method{key.Key{}, key.JWK{}} {
			res, err := m.Resolve(context.Background(), did)
			if err != nil {
				continue
			}
			if res.Document.ID != did {
				t.Fatalf("%q resolved to a document of %q", did, res.Document.ID)
			}
			methods := res.Document.VerificationMethod
			if len(methods) != 1 {
				t.Fatalf("%q: %d methods", did, len(methods))
			}
			if _, err := methods[0].PublicKey(); err != nil {
				t.Fatalf("%q: key of its own document: %v", did, err)
			}
		}
	})
}
