package gcpkms_test

import (
	"errors"
	"testing"

	"github.com/ionode/ionode/signer/gcpkms"
)

func TestParseURI(t *testing.T) {
	const name = "projects/acme-1/locations/global/keyRings/ion/cryptoKeys/issuer_key/cryptoKeyVersions/3"
	if got, err := gcpkms.ParseURI("gcpkms://" + name); err != nil || got != name {
		t.Fatalf("ParseURI = %q, %v", got, err)
	}
	for _, bad := range []string{"", "gcpkms://", "gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k",
		"gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/",
		"gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1/x",
		"gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k/versions/1",
		"gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1?x",
		"gcpkms:///projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1"} {
		if _, err := gcpkms.ParseURI(bad); !errors.Is(err, gcpkms.ErrURI) {
			t.Errorf("ParseURI(%q) err = %v", bad, err)
		}
	}
}
