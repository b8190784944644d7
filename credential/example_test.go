package credential_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/key"
)

// issuerSigner is a did:key issuer from a fixed Ed25519 seed, so that the examples' output is stable.
// Use credential.GenerateKey for real keys, or a did:ion / did:web key (its kid the DID URL of the
// verification method in the issuer's DID document).
func issuerSigner() *credential.Signer {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	did, err := key.DIDKey(priv.Public())
	if err != nil {
		panic(err)
	}
	s, err := credential.NewSigner(did+"#"+strings.TrimPrefix(did, "did:key:"), priv)
	if err != nil {
		panic(err)
	}
	return s
}

var issuedAt = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Issue a VC-JWT.
func ExampleIssuer_Issue() {
	iss := &credential.Issuer{Signer: issuerSigner(), Now: func() time.Time { return issuedAt }}
	jwt, err := iss.Issue(credential.Claims{
		ID:      "urn:uuid:5f1c1a3e-0000-4000-8000-000000000001",
		Types:   []string{"VerifiedEmployee"},
		Subject: map[string]any{"id": "did:example:alice", "jobTitle": "Engineer"},
	})
	if err != nil {
		panic(err)
	}
	// A JWS in compact form: header.payload.signature; the payload holds the JWT claims and the vc.
	parts := strings.Split(jwt, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		panic(err)
	}
	var claims struct {
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Nbf int64  `json:"nbf"`
		VC  struct {
			Type []string `json:"type"`
		} `json:"vc"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		panic(err)
	}
	fmt.Println(len(parts), claims.Iss)
	fmt.Println(claims.Sub, time.Unix(claims.Nbf, 0).UTC(), claims.VC.Type)
	// Output:
	// 3 did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z
	// did:example:alice 2026-01-02 03:04:05 +0000 UTC [VerifiableCredential VerifiedEmployee]
}

// Verify a VC-JWT: resolve the issuer's DID, check the key is in its assertionMethod, the signature,
// the dates and (when configured) the status and the trusted-issuer policy. Every check is in the
// result; a failure has a stable code.
func ExampleVerifier_VerifyCredential() {
	iss := &credential.Issuer{Signer: issuerSigner(), Now: func() time.Time { return issuedAt }}
	jwt, err := iss.Issue(credential.Claims{Types: []string{"VerifiedEmployee"}, Subject: map[string]any{"id": "did:example:alice"}})
	if err != nil {
		panic(err)
	}
	methods := &resolver.Dispatcher{Methods: map[string]resolver.Method{"key": key.Key{}, "jwk": key.JWK{}}}
	v := &credential.Verifier{Resolver: methods, Now: func() time.Time { return issuedAt.Add(time.Hour) }}

	res := v.VerifyCredential(context.Background(), jwt)
	fmt.Println(res.Valid, res.Credential.Issuer == iss.Signer.DID(), res.Credential.Types)

	tampered := jwt[:len(jwt)-4] + "AAAA"
	res = v.VerifyCredential(context.Background(), tampered)
	fmt.Println(res.Valid, res.Code)
	// Output:
	// true true [VerifiableCredential VerifiedEmployee]
	// false invalid_signature
}
