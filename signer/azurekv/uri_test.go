package azurekv_test

import (
	"errors"
	"testing"

	"github.com/ionode/ionode/signer/azurekv"
)

func TestParseURI(t *testing.T) {
	good := map[string]azurekv.Ref{
		"azurekv://contoso/keys/issuer":                          {VaultURL: "https://contoso.vault.azure.net", Name: "issuer"},
		"azurekv://contoso/keys/issuer/0a1b2c":                   {VaultURL: "https://contoso.vault.azure.net", Name: "issuer", Version: "0a1b2c"},
		"azurekv://contoso.managedhsm.azure.net/keys/writer-key": {VaultURL: "https://contoso.managedhsm.azure.net", Name: "writer-key"},
		"azurekv://127.0.0.1:8443/keys/k":                        {VaultURL: "https://127.0.0.1:8443", Name: "k"},
	}
	for uri, want := range good {
		if got, err := azurekv.ParseURI(uri); err != nil || got != want {
			t.Errorf("ParseURI(%q) = %+v, %v", uri, got, err)
		}
	}
	for _, bad := range []string{"", "azurekv://", "azurekv://v/keys", "azurekv://v/keys/", "azurekv://v/secrets/x",
		"azurekv://v/keys/a/b/c", "azurekv://v/keys/a_b", "azurekv://u@v/keys/a", "azurekv://v/keys/a?x=1", "https://v/keys/a"} {
		if _, err := azurekv.ParseURI(bad); !errors.Is(err, azurekv.ErrURI) {
			t.Errorf("ParseURI(%q) err = %v", bad, err)
		}
	}
}
