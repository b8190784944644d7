package gcpkms_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ionode/ionode/signer/gcpkms"
)

// FuzzParseURI: a key URI from configuration is a key reference or ErrURI, never a panic.
func FuzzParseURI(f *testing.F) {
	f.Add("gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1")
	f.Fuzz(func(t *testing.T, uri string) {
		got, err := gcpkms.ParseURI(uri)
		if err != nil && !errors.Is(err, gcpkms.ErrURI) {
			t.Fatalf("ParseURI(%q): %v is not ErrURI", uri, err)
		}
		if err == nil && !strings.HasPrefix(got, "projects/") {
			t.Fatalf("ParseURI(%q) = %q", uri, got)
		}
	})
}
