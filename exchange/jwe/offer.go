package jwe

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/go-jose/go-jose/v4"
)

// ErrNoKey: a verifier's client_metadata offers no key or content encryption this package encrypts to.
var ErrNoKey = errors.New("no usable encryption key offered")

// maxOfferedKeys bounds the keys read from a verifier's jwks.
const maxOfferedKeys = 16

// Offered is the wallet's side of client_metadata: the first key of the verifier's jwks (JSON) that
// this package encrypts to (a public P-256 key for encryption, alg ECDH-ES or unset), and the first
// content encryption of encs (encrypted_response_enc_values_supported; none offered means A128GCM,
// OpenID4VP 1.0's default) that it supports. Keys it cannot read are skipped, not fatal.
func Offered(jwks json.RawMessage, encs []string) (jose.JSONWebKey, string, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &set); err != nil {
		return jose.JSONWebKey{}, "", fmt.Errorf("%w: jwks: %v", ErrNoKey, err)
	}
	if len(set.Keys) > maxOfferedKeys {
		return jose.JSONWebKey{}, "", fmt.Errorf("%w: more than %d keys", ErrNoKey, maxOfferedKeys)
	}
	enc := A128GCM
	if len(encs) > 0 {
		i := slices.IndexFunc(encs, func(e string) bool { return slices.Contains(DefaultEncs, e) })
		if i < 0 {
			return jose.JSONWebKey{}, "", fmt.Errorf("%w: content encryptions %q, this wallet encrypts with %v", ErrNoKey, encs, DefaultEncs)
		}
		enc = encs[i]
	}
	for _, raw := range set.Keys {
		var k jose.JSONWebKey
		if k.UnmarshalJSON(raw) != nil || (k.Use != "" && k.Use != "enc") || (k.Algorithm != "" && k.Algorithm != Algorithm) {
			continue
		}
		if pub, ok := k.Key.(*ecdsa.PublicKey); ok && pub.Curve == elliptic.P256() {
			return k, enc, nil
		}
	}
	return jose.JSONWebKey{}, "", fmt.Errorf("%w: no P-256 %s key for encryption in jwks", ErrNoKey, Algorithm)
}
