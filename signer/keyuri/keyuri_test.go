package keyuri_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ionode/ionode/signer/awskms"
	"github.com/ionode/ionode/signer/azurekv"
	"github.com/ionode/ionode/signer/gcpkms"
	"github.com/ionode/ionode/signer/keyuri"
	"github.com/ionode/ionode/signer/pkcs11"
)

func TestIsURI(t *testing.T) {
	for ref, want := range map[string]bool{
		"pkcs11:token=a;object=b":        true,
		"awskms:///alias/issuer":         true,
		"azurekv://contoso/keys/issuer":  true,
		"gcpkms://projects/p/locations/": true,
		"/etc/ionode/issuer.jwk":         false,
		"issuer.jwk":                     false,
		"awskms.jwk":                     false,
		"":                               false,
	} {
		if got := keyuri.IsURI(ref); got != want {
			t.Errorf("IsURI(%q) = %t", ref, got)
		}
	}
}

// TestOpenDispatches: each scheme reaches its own backend, whose URI parser answers for a malformed one
// before any network or module is touched.
func TestOpenDispatches(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		ref  string
		want error
	}{
		{"pkcs11:object=b", pkcs11.ErrURI},
		{"awskms://no-slash", awskms.ErrURI},
		{"azurekv://v/secrets/x", azurekv.ErrURI},
		{"gcpkms://projects/p", gcpkms.ErrURI},
		{"5KYZdUEo39z3FPrtuX2QbbwGnNP5zTd7yyr2SC1j299sBCnWjss", keyuri.ErrScheme},
	}
	for _, tc := range tests {
		_, err := keyuri.Open(ctx, tc.ref, keyuri.Options{})
		if !errors.Is(err, tc.want) {
			t.Errorf("Open(%q) err = %v, want %v", tc.ref, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "SC1j299") {
			t.Errorf("the error repeats what may be a secret: %v", err)
		}
	}
}
