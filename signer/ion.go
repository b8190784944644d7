package signer

import (
	"context"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/ionode/ionode/sidetree"
)

// ION adapts a secp256k1 signer to the sidetree.SigningKey that ION's update, recover and deactivate
// operations are signed with, so a DID's update and recovery keys can live in a token. ctx bounds every
// signing the adapter makes (sidetree itself does no I/O and takes no context).
func ION(ctx context.Context, s Signer) (sidetree.SigningKey, error) {
	pub, ok := s.Public().(*secp256k1.PublicKey)
	if !ok || s.Algorithm() != ES256K {
		return nil, fmt.Errorf("%w: ION operation keys are secp256k1; %s is %s", ErrUnsupported, s.Name(), s.Algorithm())
	}
	return ionKey{ctx: ctx, s: s, jwk: PublicJWK(pub)}, nil
}

// PublicJWK is a secp256k1 public key as ION writes it.
func PublicJWK(pub *secp256k1.PublicKey) sidetree.JWK {
	b := pub.SerializeUncompressed() // 0x04 || X || Y
	return sidetree.JWK{Kty: "EC", Crv: "secp256k1", X: sidetree.EncodeBase64URL(b[1:33]), Y: sidetree.EncodeBase64URL(b[33:])}
}

type ionKey struct {
	ctx context.Context
	s   Signer
	jwk sidetree.JWK
}

func (k ionKey) PublicJWK() sidetree.JWK { return k.jwk }

func (k ionKey) SignES256KDigest(digest [32]byte) ([]byte, error) {
	return k.s.Sign(k.ctx, digest[:])
}
