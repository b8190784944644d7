package azurekv_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ionode/ionode/signer/azurekv"
)

// FuzzParseURI: a key URI from configuration is a key reference or ErrURI, never a panic.
func FuzzParseURI(f *testing.F) {
	f.Add("azurekv://contoso/keys/issuer/0a1b2c")
	f.Fuzz(func(t *testing.T, uri string) {
		got, err := azurekv.ParseURI(uri)
		if err != nil && !errors.Is(err, azurekv.ErrURI) {
			t.Fatalf("ParseURI(%q): %v is not ErrURI", uri, err)
		}
		if err == nil && (!strings.HasPrefix(got.VaultURL, "https://") || got.Name == "") {
			t.Fatalf("ParseURI(%q) = %+v", uri, got)
		}
	})
}
