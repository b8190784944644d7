package awskms

import (
	"errors"
	"fmt"
	"strings"
)

// Scheme prefixes an AWS KMS key URI.
const Scheme = "awskms://"

// ErrURI is returned for a key URI that does not name an AWS KMS key.
var ErrURI = errors.New("awskms: invalid key URI")

// maxURI bounds the URI (an ARN is at most 2048 characters).
const maxURI = 2048 + len(Scheme) + 1

// ParseURI returns the key id of awskms:///<key>: a key ARN, an alias ARN, alias/<name> or a key id.
func ParseURI(uri string) (string, error) {
	if len(uri) > maxURI {
		return "", fmt.Errorf("%w: longer than %d bytes", ErrURI, maxURI)
	}
	key, ok := strings.CutPrefix(uri, Scheme+"/")
	if !ok {
		return "", fmt.Errorf("%w: %q must start with %s/", ErrURI, uri, Scheme)
	}
	if key == "" || strings.ContainsAny(key, "?# \t\r\n") {
		return "", fmt.Errorf("%w: %q: want awskms:///<key ARN, alias/name or key id>", ErrURI, uri)
	}
	if strings.HasPrefix(key, "arn:") && region(key) == "" {
		return "", fmt.Errorf("%w: %q is not a KMS key or alias ARN", ErrURI, key)
	}
	return key, nil
}

// region is the region of a KMS ARN (arn:aws:kms:<region>:<account>:key/<id>), or "".
func region(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "kms" {
		return ""
	}
	return parts[3]
}
