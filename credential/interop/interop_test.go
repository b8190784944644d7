package interop

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/nodetest"
	"github.com/ionode/ionode/resolver"
)

type result struct {
	OK      *bool  `json:"ok"`
	Error   string `json:"error"`
	JWT     string `json:"jwt"`
	Issuer  string `json:"issuer"`
	Subject string `json:"subject"`
	Holder  string `json:"holder"`
}

// node runs interop.mjs with the commands and returns one result per command.
func node(t *testing.T, env []string, cmds []map[string]any) []result {
	t.Helper()
	var res []result
	nodetest.RunJSON(t, ".", "interop.mjs", env, cmds, &res)
	if len(res) != len(cmds) {
		t.Fatalf("%d results for %d commands", len(res), len(cmds))
	}
	return res
}

func requireNode(t *testing.T) {
	t.Helper()
	nodetest.Require(t, ".", "did-jwt-vc")
}

// keyHex is the private key as did-jwt's signers take it: the secp256k1 scalar or the Ed25519 seed.
func keyHex(t *testing.T, s *credential.Signer) string {
	t.Helper()
	switch k := s.PrivateKey().(type) {
	case *secp256k1.PrivateKey:
		return hex.EncodeToString(k.Serialize())
	case ed25519.PrivateKey:
		return hex.EncodeToString(k.Seed())
	}
	t.Fatalf("no hex form for %T", s.PrivateKey())
	return ""
}

func TestInterop(t *testing.T) {
	requireNode(t)
	e := credtest.NewEnv(t)
	// did:ion has no resolver in JavaScript: the JS side asks ours, served here as W3C resolution results.
	e.Server.Mux.HandleFunc("/resolve/", func(w http.ResponseWriter, r *http.Request) {
		did := strings.TrimPrefix(r.URL.Path, "/resolve/")
		res, err := e.Resolver.Resolve(r.Context(), did)
		w.Header().Set("Content-Type", "application/ld+json;profile=\"https://w3id.org/did-resolution\"")
		_, _ = w.Write(resolver.ResultJSON(res, err))
	})
	env := []string{
		"NODE_EXTRA_CA_CERTS=" + e.Server.WriteCA(t, t.TempDir()),
		"IONODE_RESOLVER_URL=" + e.Server.Origin() + "/resolve/",
	}
	// The JS side checks times against the real clock.
	v := &credential.Verifier{Resolver: e.Resolver, IgnoreStatus: true}
	holder := credtest.KeyDID(t, credential.EdDSA)

	issuers := map[string]*credential.Signer{}
	for _, alg := range []string{credential.ES256K, credential.EdDSA} {
		issuers["did:web "+alg] = e.WebIssuer(t, alg, "interop", strings.ToLower(alg))
		issuers["did:ion "+alg] = e.IONDID(t, alg)
		issuers["did:key "+alg] = credtest.KeyDID(t, alg)
	}
	var cmds []map[string]any
	var names []string
	var ours []string
	for name, s := range issuers {
		iss := &credential.Issuer{Signer: s}
		jwt11, err := iss.Issue(credential.Claims{Types: []string{"VerifiedEmployee"}, Subject: map[string]any{"id": holder.DID(), "name": "Alice"}, ValidUntil: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		jwt20, err := iss.Issue(credential.Claims{Format: credential.FormatVCJWT, Types: []string{"VerifiedEmployee"}, Subject: map[string]any{"id": holder.DID(), "name": "Alice"}, ValidUntil: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		ours = append(ours, jwt11)
		cmds = append(cmds,
			map[string]any{"op": "verifyCredential", "jwt": jwt11},
			map[string]any{"op": "verifyJWT", "jwt": jwt20},
			map[string]any{"op": "issue", "alg": s.Alg, "key": keyHex(t, s), "kid": s.KID, "subject": holder.DID(), "type": "VerifiedEmployee"},
			map[string]any{"op": "issue", "alg": s.Alg, "key": keyHex(t, s), "kid": s.KID, "subject": holder.DID(), "type": "VerifiedEmployee", "defaultHeader": true},
		)
		names = append(names, name+": ours (1.1 JWT) in did-jwt-vc", name+": ours (vc+jwt) in did-jwt", name+": did-jwt-vc issues", name+": did-jwt-vc issues without kid (its default)")
	}
	vp, err := (&credential.Issuer{Signer: holder}).Present(ours[:2], "https://verifier.example", "n-123", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	cmds = append(cmds, map[string]any{"op": "verifyPresentation", "jwt": vp, "audience": "https://verifier.example"})
	names = append(names, "our presentation in did-jwt-vc")

	res := node(t, env, cmds)
	for i, r := range res {
		t.Run(names[i], func(t *testing.T) {
			if r.OK != nil && !*r.OK || r.Error != "" {
				t.Fatalf("%s", r.Error)
			}
			if cmds[i]["op"] != "issue" {
				return
			}
			// Theirs in ours.
			if h := jwtHeader(t, r.JWT); cmds[i]["defaultHeader"] == true && h["kid"] != nil {
				t.Fatalf("did-jwt-vc's default header has a kid: %v", h)
			}
			got := v.VerifyCredential(context.Background(), r.JWT)
			if !got.Valid {
				t.Fatalf("did-jwt-vc credential rejected: %s %s", got.Code, got.Detail)
			}
			if kid := cmds[i]["kid"].(string); got.Credential.KID != kid || !strings.HasPrefix(kid, got.Credential.Issuer+"#") || got.Credential.Subject != holder.DID() {
				t.Fatalf("credential %+v", got.Credential)
			}
		})
	}
}

func jwtHeader(t *testing.T, jwt string) map[string]any {
	t.Helper()
	first, _, _ := strings.Cut(jwt, ".")
	b, err := base64.RawURLEncoding.DecodeString(first)
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	return h
}
