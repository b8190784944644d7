package interop

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/credential/status/tokenstatus"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/nodetest"
	"github.com/ionode/ionode/resolver"
)

type result struct {
	Error  string         `json:"error"`
	SD     string         `json:"sd"`
	OK     bool           `json:"ok"`
	Claims map[string]any `json:"claims"`
	KB     map[string]any `json:"kb"`
	JWT    string         `json:"jwt"`
	Status *int           `json:"status"`
}

// node runs interop.mjs with the commands and returns one result per command.
func node(t *testing.T, env []string, cmds ...map[string]any) []result {
	t.Helper()
	var res []result
	nodetest.RunJSON(t, ".", "interop.mjs", env, cmds, &res)
	if len(res) != len(cmds) {
		t.Fatalf("%d results for %d commands", len(res), len(cmds))
	}
	return res
}

func jwk(t *testing.T, s *credential.Signer, private bool) json.RawMessage {
	t.Helper()
	var b []byte
	var err error
	if private {
		b, err = credential.MarshalPrivateJWK(s.PrivateKey())
	} else {
		b, err = resolver.MarshalJWK(s.Public())
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var claims = map[string]any{
	"given_name": "Erika", "family_name": "Mustermann", "birthdate": "1963-08-12",
	"address":       map[string]any{"street_address": "Heidestraße 17", "locality": "Köln", "country": "DE"},
	"nationalities": []any{"DE", "FR"},
}

const (
	vct      = "urn:example:pid:1"
	audience = "https://verifier.example.org"
	nonce    = "nonce-4711"
)

func TestInterop(t *testing.T) {
	nodetest.Require(t, ".", "@sd-jwt/sd-jwt-vc")
	e := credtest.NewEnv(t)
	ctx := context.Background()
	issuer := e.WebIssuer(t, credential.ES256, "sd-interop")
	hk, _ := credential.GenerateKey(credential.ES256)
	holder, _ := credential.NewBareSigner("", hk)

	// The node's status lists, published as it publishes them.
	manager := &status.Manager{
		Store: &status.FileStore{Dir: t.TempDir()}, Issuer: &credential.Issuer{Signer: issuer},
		Tokens: &tokenstatus.Signer{Signer: issuer}, BaseURL: e.Server.Origin() + "/status",
	}
	e.Server.Mux.Handle("/status/", http.StripPrefix("/status", manager.Handler()))
	if err := manager.Create(ctx, "tokens", status.TokenStatusList, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	entry := func() sdjwt.StatusListRef {
		s, err := manager.Allocate(ctx, "tokens")
		if err != nil {
			t.Fatal(err)
		}
		i, _ := strconv.Atoi(s.StatusListIndex)
		return sdjwt.StatusListRef{Index: i, URI: s.StatusListCredential}
	}
	env := []string{"NODE_EXTRA_CA_CERTS=" + e.Server.WriteCA(t, t.TempDir())}
	// The JS side checks times against the real clock, and so does this verifier.
	checker := &tokenstatus.Checker{Fetcher: e.Client}
	v := &sdjwt.Verifier{Resolver: e.Resolver, Fetcher: e.Client, Status: checker}
	checker.Keys = v

	t.Run("ours, verified by @sd-jwt", func(t *testing.T) {
		live, revoked := entry(), entry()
		if err := manager.SetStatus(ctx, "tokens", revoked.Index, true); err != nil {
			t.Fatal(err)
		}
		issue := func(ref sdjwt.StatusListRef) string {
			s, err := (&sdjwt.Issuer{Signer: issuer}).Issue(ctx, sdjwt.Claims{
				VCT: vct, Claims: claims, HolderKey: holder.Public(), ValidUntil: time.Now().Add(time.Hour), Status: &ref,
				Disclosable: []string{"given_name", "family_name", "birthdate", "address", "address.street_address", "address.locality", "nationalities.*"},
			})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		issued := issue(live)
		pres, err := sdjwt.Present(issued, []string{"given_name", "address.street_address", "nationalities.1"}, &sdjwt.KeyBinding{Signer: holder, Audience: audience, Nonce: nonce})
		if err != nil {
			t.Fatal(err)
		}
		pub := jwk(t, issuer, false)
		res := node(t, env,
			map[string]any{"op": "verify", "sd": issued, "issuerJwk": pub},
			map[string]any{"op": "verify", "sd": pres, "issuerJwk": pub, "requireKB": true, "nonce": nonce},
			map[string]any{"op": "verify", "sd": issue(revoked), "issuerJwk": pub},
		)
		if res[0].Error != "" || !reflect.DeepEqual(res[0].Claims["address"], claims["address"]) || !reflect.DeepEqual(res[0].Claims["nationalities"], claims["nationalities"]) || res[0].Claims["birthdate"] != "1963-08-12" {
			t.Errorf("issued: %s %v", res[0].Error, res[0].Claims)
		}
		got := res[1].Claims
		if res[1].Error != "" || got["given_name"] != "Erika" || got["family_name"] != nil || got["birthdate"] != nil ||
			!reflect.DeepEqual(got["address"], map[string]any{"street_address": "Heidestraße 17", "country": "DE"}) ||
			!reflect.DeepEqual(got["nationalities"], []any{"FR"}) || res[1].KB["aud"] != audience {
			t.Errorf("presented: %s %v kb %v", res[1].Error, got, res[1].KB)
		}
		if res[2].Error == "" {
			t.Errorf("@sd-jwt accepted a revoked credential: %v", res[2].Claims)
		}
	})

	t.Run("theirs, verified by ionode", func(t *testing.T) {
		frame := map[string]any{
			"_sd":           []string{"given_name", "family_name", "birthdate", "address"},
			"address":       map[string]any{"_sd": []string{"street_address", "locality"}},
			"nationalities": map[string]any{"_sd": []int{0, 1}},
		}
		issued := node(t, env, map[string]any{"op": "issue", "issuerJwk": jwk(t, issuer, true), "kid": issuer.KID, "iss": issuer.DID(), "vct": vct, "holderJwk": jwk(t, holder, false), "claims": claims, "frame": frame})[0]
		if issued.Error != "" {
			t.Fatal(issued.Error)
		}
		r := v.Verify(ctx, issued.SD, sdjwt.Options{})
		if !r.Valid || len(r.Disclosed) != 8 || !reflect.DeepEqual(r.Claims["address"], claims["address"]) {
			t.Fatalf("their issuance: %s %s disclosed %v", r.Code, r.Detail, r.Disclosed)
		}
		pres := node(t, env, map[string]any{"op": "present", "sd": issued.SD, "holderJwk": jwk(t, holder, true), "aud": audience, "nonce": nonce,
			"frame": map[string]any{"family_name": true, "address": map[string]any{"locality": true}, "nationalities": map[string]any{"0": true}}})[0]
		if pres.Error != "" {
			t.Fatal(pres.Error)
		}
		r = v.Verify(ctx, pres.SD, sdjwt.Options{RequireKeyBinding: true, Audience: audience, Nonce: nonce})
		if !r.Valid {
			t.Fatalf("their presentation: %s %s", r.Code, r.Detail)
		}
		var paths []string
		for _, p := range r.Disclosed {
			paths = append(paths, p.String())
		}
		slices.Sort(paths)
		if !reflect.DeepEqual(paths, []string{"address", "address.locality", "family_name", "nationalities[0]"}) || r.Claims["given_name"] != nil {
			t.Fatalf("disclosed %v, claims %v", paths, r.Claims)
		}
		if r := v.Verify(ctx, pres.SD, sdjwt.Options{RequireKeyBinding: true, Audience: audience, Nonce: "other"}); r.Code != credential.CodeNonceMismatch {
			t.Fatalf("their presentation, other nonce: %s", r.Code)
		}
	})

	t.Run("status list tokens both ways", func(t *testing.T) {
		ref := entry()
		if err := manager.SetStatus(ctx, "tokens", ref.Index, true); err != nil {
			t.Fatal(err)
		}
		ours, err := manager.Credential(ctx, "tokens")
		if err != nil {
			t.Fatal(err)
		}
		statuses := make([]int, 64)
		statuses[3], statuses[17], statuses[40] = 1, 2, 3
		res := node(t, env,
			map[string]any{"op": "readStatus", "jwt": ours, "issuerJwk": jwk(t, issuer, false), "idx": ref.Index},
			map[string]any{"op": "readStatus", "jwt": ours, "issuerJwk": jwk(t, issuer, false), "idx": (ref.Index + 1) % status.MinEntries},
			map[string]any{"op": "statusList", "issuerJwk": jwk(t, issuer, true), "kid": issuer.KID, "iss": issuer.DID(), "sub": e.Server.Origin() + "/theirs/1", "bits": 2, "statuses": statuses, "ttl": 300},
		)
		if res[0].Status == nil || *res[0].Status != 1 || res[1].Status == nil || *res[1].Status != 0 {
			t.Errorf("@sd-jwt read our list: %s %v %v", res[0].Error, res[0].Status, res[1].Status)
		}
		if res[2].Error != "" {
			t.Fatal(res[2].Error)
		}
		e.Server.Publish("/theirs/1", []byte(res[2].JWT), "")
		for idx, want := range map[int]credential.Code{0: "", 3: credential.CodeRevoked, 17: sdjwt.CodeSuspended, 40: credential.CodeStatusUnavailable} {
			err := checker.CheckStatusList(ctx, issuer.DID(), sdjwt.StatusListRef{Index: idx, URI: e.Server.Origin() + "/theirs/1"})
			if credential.CodeOf(err) != want {
				t.Errorf("their list, entry %d: %v, want %q", idx, err, want)
			}
		}
	})
}
