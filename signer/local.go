package signer

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"log/slog"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// Local is a key held in this process's memory: the file and environment-variable backend. Reading the
// file is the job of the package that owns its format (anchor for WIF, credential for JWK); Local only
// signs. It never prints its secret.
type Local struct {
	name, backend string
	alg           Algorithm
	key           crypto.PrivateKey
}

// NewLocal wraps a *secp256k1.PrivateKey, a P-256 *ecdsa.PrivateKey or an ed25519.PrivateKey. name says
// where the key came from (a path, "env:NAME"); backend is "file" or "env".
func NewLocal(name, backend string, key crypto.PrivateKey) (*Local, error) {
	l := &Local{name: name, backend: backend, key: key}
	switch k := key.(type) {
	case *secp256k1.PrivateKey:
		l.alg = ES256K
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("%w: Ed25519 private key of %d bytes", ErrUnsupported, len(k))
		}
		l.alg = EdDSA
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P256() {
			return nil, fmt.Errorf("%w: ECDSA curve %s", ErrUnsupported, k.Curve.Params().Name)
		}
		l.alg = ES256
	default:
		return nil, fmt.Errorf("%w: private key %T", ErrUnsupported, key)
	}
	return l, nil
}

func (l *Local) Name() string         { return l.name }
func (l *Local) Backend() string      { return l.backend }
func (l *Local) Algorithm() Algorithm { return l.alg }

// Public returns the public key.
func (l *Local) Public() crypto.PublicKey { return PublicOf(l.key) }

// PublicOf returns the public key of a private key of the three kinds (nil for other types).
func PublicOf(key crypto.PrivateKey) crypto.PublicKey {
	switch k := key.(type) {
	case *secp256k1.PrivateKey:
		return k.PubKey()
	case ed25519.PrivateKey:
		return k.Public()
	case *ecdsa.PrivateKey:
		return &k.PublicKey
	}
	return nil
}

// Sign signs as the Signer interface says. secp256k1 signatures are RFC 6979 deterministic with low S, as
// ion-sdk's LocalSigner makes them (so ION operations stay byte-identical to the reference's).
func (l *Local) Sign(ctx context.Context, data []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkInput(l.alg, data); err != nil {
		return nil, err
	}
	switch k := l.key.(type) {
	case *secp256k1.PrivateKey:
		sig := secpecdsa.SignCompact(k, data, false) // [recovery byte][R][S]
		return sig[1:], nil
	case ed25519.PrivateKey:
		return ed25519.Sign(k, data), nil
	case *ecdsa.PrivateKey:
		der, err := ecdsa.SignASN1(rand.Reader, k, data)
		if err != nil {
			return nil, fmt.Errorf("signer: %w", err)
		}
		return rawFromASN1(der)
	}
	return nil, fmt.Errorf("%w: private key %T", ErrUnsupported, l.key)
}

// PrivateKey returns the key, for export by the tools that wrote it (`ionode keys`); HSM keys have none.
func (l *Local) PrivateKey() crypto.PrivateKey { return l.key }

func (l *Local) String() string   { return "signer.Local{" + l.name + ", private key redacted}" }
func (l *Local) GoString() string { return l.String() }

// LogValue keeps the secret out of structured logs.
func (l *Local) LogValue() slog.Value {
	return slog.GroupValue(slog.String("key", l.name), slog.String("private_key", "redacted"))
}
