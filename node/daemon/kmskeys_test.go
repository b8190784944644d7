package daemon

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ionode/ionode/signer/awskms"
	"github.com/ionode/ionode/signer/azurekv"
	"github.com/ionode/ionode/signer/gcpkms"
)

// TestKMSKeyURIs: the key settings accept the cloud KMS URIs (they are not taken for files, whose
// permissions would be checked), and a malformed one stops start-up with one line naming the flag.
func TestKMSKeyURIs(t *testing.T) {
	tests := []struct {
		uri  string
		want error
	}{
		{"awskms://alias/x", awskms.ErrURI},
		{"azurekv://vault/secrets/x", azurekv.ErrURI},
		{"gcpkms://projects/p/cryptoKeys/k", gcpkms.ErrURI},
	}
	for _, tc := range tests {
		c := DefaultConfig()
		c.Credentials.IssuerKeyFile = tc.uri
		if err := c.checkSecretFiles(); err != nil {
			t.Fatalf("%s taken for a file: %v", tc.uri, err)
		}
		_, _, err := c.tokenKey(context.Background(), "--issuer-key-file", tc.uri, nil)
		if !errors.Is(err, tc.want) || !strings.HasPrefix(err.Error(), "--issuer-key-file: ") || strings.Contains(err.Error(), "\n") {
			t.Fatalf("%s: err = %v", tc.uri, err)
		}
	}
	if !isTokenURI("awskms:///alias/issuer") || isTokenURI("/etc/ionode/issuer.jwk") {
		t.Fatal("isTokenURI")
	}
}
