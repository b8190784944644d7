package credential_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/resolver"
)

// TestCheckAuthorizedKeyMismatch: a signer whose key is not the one the DID document holds under its kid
// gets ErrKeyMismatch (the node refuses to start with it); a kid the document lacks gets another error
// (the DID may not be published yet, which is only a warning).
func TestCheckAuthorizedKeyMismatch(t *testing.T) {
	e := credtest.NewEnv(t)
	published := e.WebIssuer(t, credential.ES256K, "mismatch")
	other, err := credential.GenerateKey(credential.ES256K)
	if err != nil {
		t.Fatal(err)
	}
	impostor, err := credential.NewSigner(published.KID, other)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := published.CheckAuthorized(ctx, e.Resolver, resolver.AssertionMethod); err != nil {
		t.Fatal(err)
	}
	if err := impostor.CheckAuthorized(ctx, e.Resolver, resolver.AssertionMethod); !errors.Is(err, credential.ErrKeyMismatch) {
		t.Fatalf("another key under the kid: err = %v, want ErrKeyMismatch", err)
	}
	missing, err := credential.NewSigner(published.DID()+"#nope", other)
	if err != nil {
		t.Fatal(err)
	}
	if err := missing.CheckAuthorized(ctx, e.Resolver, resolver.AssertionMethod); err == nil || errors.Is(err, credential.ErrKeyMismatch) {
		t.Fatalf("unknown kid: err = %v", err)
	}
}
