package key

import (
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ionode/ionode/resolver"
)

// maxIDLength bounds the method-specific id: a P-256 JWK is well under 200 bytes.
const maxIDLength = 1024

// Key resolves did:key DIDs.
type Key struct{}

// JWK resolves did:jwk DIDs.
type JWK struct{}

// DIDKey returns the did:key DID of a public key.
func DIDKey(pub crypto.PublicKey) (string, error) {
	mk, err := resolver.EncodeMultikey(pub)
	if err != nil {
		return "", err
	}
	return "did:key:" + mk, nil
}

// DIDJWK returns the did:jwk DID of a public key (its JWK with members in lexicographic order).
func DIDJWK(pub crypto.PublicKey) (string, error) {
	j, err := resolver.MarshalJWK(pub)
	if err != nil {
		return "", err
	}
	return "did:jwk:" + base64.RawURLEncoding.EncodeToString(j), nil
}

// Resolve computes a did:key document.
func (Key) Resolve(_ context.Context, did string) (*resolver.Result, error) {
	mk, ok := strings.CutPrefix(did, "did:key:")
	if !ok || len(mk) > maxIDLength {
		return nil, resolver.Errorf(resolver.CodeInvalidDID, "not a did:key DID")
	}
	if _, err := resolver.DecodeMultikey(mk); err != nil {
		return nil, resolver.Errorf(resolver.CodeInvalidDID, "did:key: %w", err)
	}
	vm := map[string]any{"id": did + "#" + mk, "type": "Multikey", "controller": did, "publicKeyMultibase": mk}
	return build(did, []string{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"}, vm, "sig")
}

// Resolve computes a did:jwk document.
func (JWK) Resolve(_ context.Context, did string) (*resolver.Result, error) {
	enc, ok := strings.CutPrefix(did, "did:jwk:")
	if !ok || len(enc) > maxIDLength {
		return nil, resolver.Errorf(resolver.CodeInvalidDID, "not a did:jwk DID")
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return nil, resolver.Errorf(resolver.CodeInvalidDID, "did:jwk: %w", err)
	}
	if _, err := resolver.ParseJWK(raw); err != nil {
		return nil, resolver.Errorf(resolver.CodeInvalidDID, "did:jwk: %w", err)
	}
	var members map[string]any
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, resolver.Errorf(resolver.CodeInvalidDID, "did:jwk: %w", err)
	}
	use, _ := members["use"].(string)
	vm := map[string]any{"id": did + "#0", "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": json.RawMessage(raw)}
	return build(did, []string{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"}, vm, use)
}

// build writes the document; use "enc" limits the key to keyAgreement, as did:jwk specifies (our keys
// are all signature keys, so such a DID is valid but useless to a verifier).
func build(did string, context []string, vm map[string]any, use string) (*resolver.Result, error) {
	id := vm["id"]
	doc := map[string]any{"@context": context, "id": did, "verificationMethod": []any{vm}}
	if use != "enc" {
		for _, rel := range []string{resolver.Authentication, resolver.AssertionMethod, resolver.CapabilityInvocation, resolver.CapabilityDelegation} {
			doc[rel] = []any{id}
		}
	}
	if use == "enc" {
		doc[resolver.KeyAgreement] = []any{id}
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("did document: %w", err)
	}
	parsed, err := resolver.ParseDocument(raw)
	if err != nil {
		return nil, err
	}
	return &resolver.Result{Document: parsed}, nil
}
