// Package bearer checks "Authorization: Bearer <token>" against configured SHA-256 token hashes, for
// both the write guard (POST /operations) and the admin routes, so the two cannot drift apart.
package bearer

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Hash is the SHA-256 of a bearer token.
type Hash = [sha256.Size]byte

// ErrEmptyToken is returned by ParseHash for the SHA-256 of the empty string: it is what
// `printf %s "$TOKEN" | sha256sum` prints when $TOKEN is unset, and it would admit an empty token.
var ErrEmptyToken = errors.New("it is the SHA-256 of an empty token (was $TOKEN unset when it was computed?)")

var emptyHash = sha256.Sum256(nil)

// asciiSpace is what Trim removes: Unicode spaces (U+00A0…) are part of the token, so a header of only
// such spaces is a non-empty token, never the empty one.
const asciiSpace = " \t\r\n\v\f"

// ParseHash reads a hex SHA-256 token hash as `sha256sum` prints it (surrounding ASCII whitespace
// allowed) and refuses the empty token's hash.
func ParseHash(s string) (Hash, error) {
	var h Hash
	b, err := hex.DecodeString(strings.Trim(s, asciiSpace))
	if err != nil || len(b) != sha256.Size {
		return h, fmt.Errorf("token hash %q: want 64 hex digits (sha256 of the token)", s)
	}
	copy(h[:], b)
	if h == emptyHash {
		return h, fmt.Errorf("token hash %q: %w", s, ErrEmptyToken)
	}
	return h, nil
}

// Token is the request's bearer token: the scheme is matched case-insensitively (RFC 9110 §11.1), the
// token is trimmed of ASCII whitespace only, and ok is false when nothing is left.
func Token(r *http.Request) (token string, ok bool) {
	scheme, rest, found := strings.Cut(strings.TrimLeft(r.Header.Get("Authorization"), asciiSpace), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.Trim(rest, asciiSpace)
	return token, token != ""
}

// Match reports whether token's hash is one of hashes, comparing with every hash in constant time so
// that timing says nothing about which one matched. The empty token never matches.
func Match(token string, hashes []Hash) bool {
	if token == "" {
		return false
	}
	sum := sha256.Sum256([]byte(token))
	match := 0
	for _, h := range hashes {
		match |= subtle.ConstantTimeCompare(sum[:], h[:])
	}
	return match == 1
}
