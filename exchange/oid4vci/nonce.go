package oid4vci

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"
)

// A c_nonce carries its own expiry and a MAC under a key the issuer keeps in its store, so that the nonce
// endpoint, which anyone may call without credentials, writes nothing: a stored record per call would let
// any client fill the store at the HTTP rate. A nonce is recorded once, when a proof consumes it (behind an
// access token), which makes it single use.
//
// Layout before base64url: version (1) | expiry, Unix seconds (8) | random (16) | HMAC-SHA256, first 16.
const (
	nonceVersion  = 1
	nonceBodyLen  = 1 + 8 + 16
	nonceMACLen   = 16
	nonceLen      = nonceBodyLen + nonceMACLen
	nonceKeyID    = "vci:nonce-key"
	nonceKeyBytes = 32
	// nonceKeyLife keeps the key record for good: a new key would void the nonces in flight.
	nonceKeyLife = 100 * 365 * 24 * time.Hour
)

var errBadNonce = errors.New("not a nonce of this issuer")

// nonceKeys holds the MAC key once read from, or created in, the store (shared by every replica).
type nonceKeys struct {
	mu  sync.Mutex
	key []byte
}

func (k *nonceKeys) get(ctx context.Context, s Sessions, now time.Time) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, nil
	}
	fresh := make([]byte, nonceKeyBytes)
	_, _ = rand.Read(fresh) // crypto/rand.Read never fails
	created, err := s.PutSession(ctx, nonceKeyID, fresh, now.Add(nonceKeyLife))
	if err != nil {
		return nil, fmt.Errorf("store the nonce key: %w", err)
	}
	if created {
		k.key = fresh
		return k.key, nil
	}
	stored, _, ok, err := s.GetSession(ctx, nonceKeyID)
	if err != nil {
		return nil, fmt.Errorf("read the nonce key: %w", err)
	}
	if !ok || len(stored) != nonceKeyBytes {
		return nil, errors.New("read the nonce key: missing or malformed record")
	}
	k.key = stored
	return k.key, nil
}

func nonceMAC(key, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(body)
	return m.Sum(nil)[:nonceMACLen]
}

// sealNonce returns a fresh nonce valid until expires.
func sealNonce(key []byte, expires time.Time) string {
	var b [nonceLen]byte
	b[0] = nonceVersion
	binary.BigEndian.PutUint64(b[1:9], uint64(expires.Unix()))
	_, _ = rand.Read(b[9:nonceBodyLen])
	copy(b[nonceBodyLen:], nonceMAC(key, b[:nonceBodyLen]))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// openNonce checks a nonce's MAC and returns its expiry.
func openNonce(key []byte, n string) (time.Time, error) {
	if base64.RawURLEncoding.DecodedLen(len(n)) != nonceLen {
		return time.Time{}, errBadNonce
	}
	b, err := base64.RawURLEncoding.DecodeString(n)
	if err != nil || len(b) != nonceLen || b[0] != nonceVersion {
		return time.Time{}, errBadNonce
	}
	if !hmac.Equal(b[nonceBodyLen:], nonceMAC(key, b[:nonceBodyLen])) {
		return time.Time{}, errBadNonce
	}
	secs := binary.BigEndian.Uint64(b[1:9])
	if secs > 1<<40 {
		return time.Time{}, errBadNonce
	}
	return time.Unix(int64(secs), 0), nil
}
