package gcpkms

import (
	"errors"
	"fmt"
	"strings"
)

// Scheme prefixes a Cloud KMS key URI.
const Scheme = "gcpkms://"

// ErrURI is returned for a key URI that does not name a Cloud KMS key version.
var ErrURI = errors.New("gcpkms: invalid key URI")

const maxURI = 1024

// ParseURI returns the resource name of gcpkms://projects/…/cryptoKeyVersions/<n>.
func ParseURI(uri string) (string, error) {
	if len(uri) > maxURI {
		return "", fmt.Errorf("%w: longer than %d bytes", ErrURI, maxURI)
	}
	name, ok := strings.CutPrefix(uri, Scheme)
	if !ok {
		return "", fmt.Errorf("%w: %q must start with %s", ErrURI, uri, Scheme)
	}
	parts := strings.Split(name, "/")
	labels := []string{"projects", "locations", "keyRings", "cryptoKeys", "cryptoKeyVersions"}
	if len(parts) != 2*len(labels) {
		return "", fmt.Errorf("%w: %q: want gcpkms://projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>/cryptoKeyVersions/<n>", ErrURI, uri)
	}
	for i, l := range labels {
		if parts[2*i] != l || !validID(parts[2*i+1]) {
			return "", fmt.Errorf("%w: %q: want gcpkms://projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>/cryptoKeyVersions/<n>", ErrURI, uri)
		}
	}
	return name, nil
}

// validID: resource ids are letters, digits, '-' and '_'.
func validID(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for _, c := range s {
		if !(c == '-' || c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
