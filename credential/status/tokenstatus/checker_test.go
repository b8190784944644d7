package tokenstatus_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/credential/status/tokenstatus"
	"github.com/ionode/ionode/internal/credtest"
)

type env struct {
	*credtest.Env
	signer   *credential.Signer
	manager  *status.Manager
	verifier *sdjwt.Verifier
	checker  *tokenstatus.Checker
}

// newEnv publishes an issuer's revocation and suspension token lists the way the node does (the
// status.Manager's handler under /status) and builds a verifier that checks them.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{Env: credtest.NewEnv(t)}
	e.signer = e.WebIssuer(t, credential.ES256, "token-status")
	e.manager = &status.Manager{
		Store:   &status.FileStore{Dir: t.TempDir()},
		Issuer:  &credential.Issuer{Signer: e.signer, Now: e.Now},
		Tokens:  &tokenstatus.Signer{Signer: e.signer},
		BaseURL: e.Server.Origin() + "/status",
		MaxAge:  10 * time.Minute,
	}
	e.Server.Mux.Handle("/status/", http.StripPrefix("/status", e.manager.Handler()))
	for _, p := range []string{"revocation", "suspension"} {
		if err := e.manager.Create(context.Background(), "tokens-"+p, status.TokenStatusList, p, 0); err != nil {
			t.Fatal(err)
		}
	}
	e.verifier = &sdjwt.Verifier{Resolver: e.Resolver, Fetcher: e.Client, Now: e.Now}
	e.checker = &tokenstatus.Checker{Fetcher: e.Client, Keys: e.verifier, Now: e.Now}
	e.verifier.Status = e.checker
	return e
}

// issue allocates an entry in a list and issues an SD-JWT VC with it.
func (e *env) issue(t *testing.T, list string) (string, int) {
	t.Helper()
	entry, err := e.manager.Allocate(context.Background(), list)
	if err != nil {
		t.Fatal(err)
	}
	idx, _ := strconv.Atoi(entry.StatusListIndex)
	s, err := (&sdjwt.Issuer{Signer: e.signer, Now: e.Now}).Issue(context.Background(), sdjwt.Claims{
		VCT: "urn:example:employee", Claims: map[string]any{"name": "Alice"}, Disclosable: []string{"name"},
		Status: &sdjwt.StatusListRef{Index: idx, URI: entry.StatusListCredential},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, idx
}

func TestRevokeAndSuspend(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	resp, err := e.Client.Get(ctx, e.manager.URL("tokens-revocation"), tokenstatus.ContentType)
	if err != nil || resp.Header.Get("Content-Type") != tokenstatus.ContentType || !strings.HasPrefix(resp.Header.Get("Cache-Control"), "public, max-age=600") {
		t.Fatalf("published token list: %v %v", err, resp.Header)
	}
	revocable, ri := e.issue(t, "tokens-revocation")
	suspendable, si := e.issue(t, "tokens-suspension")
	for _, s := range []string{revocable, suspendable} {
		if r := e.verifier.Verify(ctx, s, sdjwt.Options{}); !r.Valid {
			t.Fatalf("%s %s", r.Code, r.Detail)
		}
	}
	if err := e.manager.SetStatus(ctx, "tokens-revocation", ri, true); err != nil {
		t.Fatal(err)
	}
	if err := e.manager.SetStatus(ctx, "tokens-suspension", si, true); err != nil {
		t.Fatal(err)
	}
	// Cached for the token's ttl (the manager's MaxAge): still valid.
	if r := e.verifier.Verify(ctx, revocable, sdjwt.Options{}); !r.Valid {
		t.Fatalf("within ttl: %s", r.Code)
	}
	e.Advance(10*time.Minute + time.Second)
	if r := e.verifier.Verify(ctx, revocable, sdjwt.Options{}); r.Code != credential.CodeRevoked {
		t.Fatalf("revoked: %v %s %s", r.Valid, r.Code, r.Detail)
	}
	if r := e.verifier.Verify(ctx, suspendable, sdjwt.Options{}); r.Code != sdjwt.CodeSuspended {
		t.Fatalf("suspended: %v %s %s", r.Valid, r.Code, r.Detail)
	}
	// Reinstated.
	_ = e.manager.SetStatus(ctx, "tokens-suspension", si, false)
	e.Advance(11 * time.Minute)
	if r := e.verifier.Verify(ctx, suspendable, sdjwt.Options{}); !r.Valid {
		t.Fatalf("reinstated: %s %s", r.Code, r.Detail)
	}
}

func TestCacheHonoursTTLAndExp(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s, _ := e.issue(t, "tokens-revocation")
	for range 3 {
		if r := e.verifier.Verify(ctx, s, sdjwt.Options{}); !r.Valid {
			t.Fatal(r.Code)
		}
	}
	// The token's ttl (10 minutes) wins over the checker's default (5 minutes).
	e.Advance(6 * time.Minute)
	_ = e.verifier.Verify(ctx, s, sdjwt.Options{})
	if n := tokenstatus.Fetches(e.checker); n != 1 {
		t.Fatalf("%d fetches within the ttl", n)
	}
	e.Advance(4*time.Minute + time.Second)
	_ = e.verifier.Verify(ctx, s, sdjwt.Options{})
	if n := tokenstatus.Fetches(e.checker); n != 2 {
		t.Fatalf("%d fetches after the ttl", n)
	}

	// A token whose exp comes before its ttl is cached until exp only, and refused after it.
	short := newEnv(t)
	short.manager.Validity = 2 * time.Minute
	s2, _ := short.issue(t, "tokens-revocation")
	if r := short.verifier.Verify(ctx, s2, sdjwt.Options{}); !r.Valid {
		t.Fatal(r.Code)
	}
	short.Advance(2*time.Minute + time.Second)
	_ = short.verifier.Verify(ctx, s2, sdjwt.Options{}) // the manager re-signs: a fresh token
	if n := tokenstatus.Fetches(short.checker); n != 2 {
		t.Fatalf("%d fetches after exp", n)
	}
}

func TestExpiredStatusList(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// Serve a token that expired an hour ago at a list URL of the issuer's.
	list, err := e.manager.Store.Load(ctx, "tokens-revocation")
	if err != nil {
		t.Fatal(err)
	}
	uri := e.Server.Origin() + "/stale/list"
	old, err := (&tokenstatus.Signer{Signer: e.signer}).SignToken(list, uri, e.Now().Add(-2*time.Hour), time.Hour, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	e.Server.Publish("/stale/list", []byte(old), "")
	ref := sdjwt.StatusListRef{Index: 1, URI: uri}
	if err := e.checker.CheckStatusList(ctx, e.signer.DID(), ref); credential.CodeOf(err) != sdjwt.CodeStatusListExpired {
		t.Fatalf("expired list: %v", err)
	}
	// A token of another issuer, and one whose sub is not its URL, are not this credential's list.
	other := credtest.KeyDID(t, credential.ES256)
	foreign, _ := (&tokenstatus.Signer{Signer: other}).SignToken(list, e.Server.Origin()+"/foreign", e.Now(), time.Hour, time.Minute)
	e.Server.Publish("/foreign", []byte(foreign), "")
	moved, _ := (&tokenstatus.Signer{Signer: e.signer}).SignToken(list, e.Server.Origin()+"/elsewhere", e.Now(), time.Hour, time.Minute)
	e.Server.Publish("/moved", []byte(moved), "")
	for _, path := range []string{"/foreign", "/moved", "/missing"} {
		err := e.checker.CheckStatusList(ctx, e.signer.DID(), sdjwt.StatusListRef{Index: 1, URI: e.Server.Origin() + path})
		if credential.CodeOf(err) != credential.CodeStatusUnavailable {
			t.Errorf("%s: %v", path, err)
		}
	}
}
