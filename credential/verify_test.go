package credential_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/resolver"
)

func verifier(e *credtest.Env) *credential.Verifier {
	return &credential.Verifier{Resolver: e.Resolver, Now: e.Now, IgnoreStatus: true}
}

func issuer(e *credtest.Env, s *credential.Signer) *credential.Issuer {
	return &credential.Issuer{Signer: s, Now: e.Now}
}

func mustIssue(t *testing.T, i *credential.Issuer, c credential.Claims) string {
	t.Helper()
	jwt, err := i.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

func employee(subject string) credential.Claims {
	return credential.Claims{Types: []string{"VerifiedEmployee"}, Subject: map[string]any{"id": subject, "displayName": "Alice"}}
}

// TestIssueVerify round-trips both formats for every algorithm and DID method.
func TestIssueVerify(t *testing.T) {
	e := credtest.NewEnv(t)
	v := verifier(e)
	holder := credtest.KeyDID(t, credential.EdDSA).DID()
	signers := map[string]*credential.Signer{}
	for _, alg := range credential.Algorithms {
		signers["web "+alg] = e.WebIssuer(t, alg, "issuers", strings.ToLower(alg))
		signers["key "+alg] = credtest.KeyDID(t, alg)
	}
	signers["ion ES256K"] = e.IONDID(t, credential.ES256K)
	signers["ion EdDSA"] = e.IONDID(t, credential.EdDSA)
	for name, s := range signers {
		if err := s.CheckAuthorized(context.Background(), e.Resolver, resolver.AssertionMethod); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, format := range []credential.Format{credential.FormatJWT, credential.FormatVCJWT} {
			t.Run(name+" "+string(format), func(t *testing.T) {
				c := employee(holder)
				c.Format = format
				c.ValidUntil = e.Now().Add(time.Hour)
				jwt := mustIssue(t, issuer(e, s), c)
				r := v.VerifyCredential(context.Background(), jwt)
				if !r.Valid {
					t.Fatalf("%s: %+v", r.Code, r.Checks)
				}
				got := r.Credential
				if got.Issuer != s.DID() || got.Subject != holder || got.Format != format || !strings.HasPrefix(got.ID, "urn:uuid:") {
					t.Fatalf("credential %+v", got)
				}
				if len(got.Types) != 2 || got.Types[1] != "VerifiedEmployee" {
					t.Fatalf("types %v", got.Types)
				}
			})
		}
	}
}

// forge signs an arbitrary header and payload with a signer's key (for malformed tokens).
func forge(t *testing.T, s *credential.Signer, typ string, payload map[string]any) string {
	t.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := s.Sign(b, typ)
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

func replaceHeader(jwt string, header string) string {
	parts := strings.SplitN(jwt, ".", 3)
	return base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + parts[1] + "." + parts[2]
}

func TestVerifyFailures(t *testing.T) {
	e := credtest.NewEnv(t)
	now := e.Now()
	ctx := context.Background()
	holder := credtest.KeyDID(t, credential.EdDSA).DID()
	otherEd, _ := credential.GenerateKey(credential.EdDSA)
	otherSigner, _ := credential.NewSigner("did:key:x#x", otherEd)
	did, signers := e.WebDID(t, []credtest.Method{
		{Fragment: "key-1", Alg: credential.ES256K},
		{Fragment: "auth-only", Alg: credential.EdDSA, Relationships: []string{resolver.Authentication}},
		{Fragment: "mismatch", Alg: credential.ES256, Key: otherSigner.Public()}, // publishes an Ed25519 key
		{Fragment: "wrong", Alg: credential.EdDSA, Key: otherSigner.Public()},    // someone else's key
	}, "issuer")
	good := issuer(e, signers["key-1"])
	ghostKey, _ := credential.GenerateKey(credential.EdDSA)
	ghost, _ := credential.NewSigner(e.Server.DID("ghost")+"#key-1", ghostKey)
	stranger := credtest.KeyDID(t, credential.ES256)

	valid := mustIssue(t, good, employee(holder))
	parts := strings.Split(valid, ".")
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"`+did+`","vc":{"type":["VerifiableCredential"],"credentialSubject":{}}}`)) + "." + parts[2]
	withStatus := employee(holder)
	withStatus.Status = &credential.Status{Type: "BitstringStatusListEntry", StatusPurpose: "revocation", StatusListIndex: "7", StatusListCredential: "https://localhost/status/1"}
	notYet := employee(holder)
	notYet.ValidFrom = now.Add(time.Hour)
	expired := employee(holder)
	expired.ValidFrom, expired.ValidUntil = now.Add(-2*time.Hour), now.Add(-time.Hour)
	withinSkew := employee(holder)
	withinSkew.ValidFrom, withinSkew.ValidUntil = now.Add(-2*time.Hour), now.Add(-30*time.Second)
	vcV1 := map[string]any{"@context": []string{credential.ContextV1}, "type": []string{"VerifiableCredential"}, "credentialSubject": map[string]any{"id": holder}}

	tests := []struct {
		name     string
		jwt      string
		verifier func(*credential.Verifier)
		code     credential.Code // "" = valid
	}{
		{"valid", valid, nil, ""},
		{"within clock skew", mustIssue(t, good, withinSkew), nil, ""},
		{"garbage", "not a jwt", nil, credential.CodeInvalidJWT},
		{"bad base64", "a.b.c", nil, credential.CodeInvalidJWT},
		{"no vc claim", forge(t, signers["key-1"], "JWT", map[string]any{"iss": did, "sub": holder}), nil, credential.CodeInvalidJWT},
		{"no VerifiableCredential type", forge(t, signers["key-1"], "JWT", map[string]any{"iss": did, "vc": map[string]any{"type": "X", "credentialSubject": map[string]any{}}}), nil, credential.CodeInvalidJWT},
		{"no issuer", forge(t, signers["key-1"], "JWT", map[string]any{"vc": vcV1}), nil, credential.CodeInvalidJWT},
		{"HS256", replaceHeader(valid, `{"alg":"HS256","kid":"`+did+`#key-1"}`), nil, credential.CodeUnsupportedAlg},
		{"alg none", replaceHeader(valid, `{"alg":"none","kid":"`+did+`#key-1"}`), nil, credential.CodeUnsupportedAlg},
		{"alg not accepted by this verifier", valid, func(v *credential.Verifier) { v.Algorithms = []string{credential.EdDSA} }, credential.CodeUnsupportedAlg},
		{"alg does not match the key", mustIssue(t, issuer(e, signers["mismatch"]), employee(holder)), nil, credential.CodeUnsupportedAlg},
		{"unresolvable issuer", mustIssue(t, issuer(e, ghost), employee(holder)), nil, credential.CodeUnresolvableIssuer},
		{"unsupported DID method", forge(t, mustSigner(t, "did:example:123#k"), "JWT", map[string]any{"iss": "did:example:123", "vc": vcV1}), nil, credential.CodeUnresolvableIssuer},
		{"key only in authentication", mustIssue(t, issuer(e, signers["auth-only"]), employee(holder)), nil, credential.CodeKeyNotAuthorized},
		{"kid of another DID", forge(t, stranger, "JWT", map[string]any{"iss": did, "vc": vcV1}), nil, credential.CodeKeyNotAuthorized},
		{"kid removed after signing", replaceHeader(valid, `{"alg":"ES256K","typ":"JWT"}`), nil, credential.CodeInvalidSignature},
		// Without kid the signature is tried against each assertionMethod key of the alg's type: otherEd is
		// published as #mismatch and #wrong.
		{"no kid, an assertionMethod key verifies", signWithoutKid(t, jose.EdDSA, otherEd, map[string]any{"iss": did, "vc": vcV1}), nil, ""},
		{"no kid, the key is only in authentication", signWithoutKid(t, jose.EdDSA, signers["auth-only"].PrivateKey(), map[string]any{"iss": did, "vc": vcV1}), nil, credential.CodeInvalidSignature},
		{"no kid, no assertionMethod key of the alg", signWithoutKid(t, jose.ES256, stranger.PrivateKey(), map[string]any{"iss": did, "vc": vcV1}), nil, credential.CodeKeyNotAuthorized},
		{"unknown kid", forge(t, mustSigner(t, did+"#nope"), "JWT", map[string]any{"iss": did, "vc": vcV1}), nil, credential.CodeKeyNotAuthorized},
		{"wrong key", mustIssue(t, issuer(e, signers["wrong"]), employee(holder)), nil, credential.CodeInvalidSignature},
		{"tampered payload", tampered, nil, credential.CodeInvalidSignature},
		{"iss differs from issuer (vc+jwt)", forge(t, signers["key-1"], "vc+jwt", map[string]any{"@context": []string{credential.ContextV2}, "type": []string{"VerifiableCredential"}, "issuer": did, "iss": "did:web:evil.example", "credentialSubject": map[string]any{"id": holder}}), nil, credential.CodeInvalidClaims},
		{"sub differs from subject", forge(t, signers["key-1"], "JWT", map[string]any{"iss": did, "sub": "did:example:someone", "vc": vcV1}), nil, credential.CodeInvalidClaims},
		{"jti differs from id", forge(t, signers["key-1"], "JWT", map[string]any{"iss": did, "jti": "urn:a", "vc": map[string]any{"id": "urn:b", "type": []string{"VerifiableCredential"}, "credentialSubject": map[string]any{}}}), nil, credential.CodeInvalidClaims},
		{"not yet valid", mustIssue(t, good, notYet), nil, credential.CodeNotYetValid},
		{"expired", mustIssue(t, good, expired), nil, credential.CodeExpired},
		{"expired without skew", mustIssue(t, good, withinSkew), func(v *credential.Verifier) { v.ClockSkew = -1 }, credential.CodeExpired},
		{"status without checker", mustIssue(t, good, withStatus), func(v *credential.Verifier) { v.IgnoreStatus = false }, credential.CodeStatusUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := verifier(e)
			if tt.verifier != nil {
				tt.verifier(v)
			}
			r := v.VerifyCredential(ctx, tt.jwt)
			if tt.code == "" {
				if !r.Valid {
					t.Fatalf("invalid: %s %s", r.Code, r.Detail)
				}
				if !strings.HasPrefix(r.Credential.KID, did+"#") {
					t.Fatalf("KID %q is not a key of %s", r.Credential.KID, did)
				}
				return
			}
			if r.Valid || r.Code != tt.code {
				t.Fatalf("valid=%v code=%q (%s), want %q; checks %+v", r.Valid, r.Code, r.Detail, tt.code, r.Checks)
			}
			if last := r.Checks[len(r.Checks)-1]; last.Outcome != credential.Fail {
				t.Fatalf("last check %+v is not the failure", last)
			}
		})
	}
}

// signWithoutKid signs a JWT whose header has no kid, as did-jwt-vc does by default.
func signWithoutKid(t *testing.T, alg jose.SignatureAlgorithm, key any, payload map[string]any) string {
	t.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	obj, err := s.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return jwt
}

func mustSigner(t *testing.T, kid string) *credential.Signer {
	t.Helper()
	k, err := credential.GenerateKey(credential.ES256)
	if err != nil {
		t.Fatal(err)
	}
	s, err := credential.NewSigner(kid, k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
