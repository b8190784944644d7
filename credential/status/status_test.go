package status_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/status"
	"github.com/ionode/ionode/internal/credtest"
)

type setup struct {
	env     *credtest.Env
	issuer  *credential.Issuer
	manager *status.Manager
}

func newSetup(t *testing.T, env *credtest.Env, path string) *setup {
	t.Helper()
	signer := env.WebIssuer(t, credential.ES256K, path)
	iss := &credential.Issuer{Signer: signer, Now: env.Now}
	m := &status.Manager{Store: &status.FileStore{Dir: t.TempDir()}, Issuer: iss, BaseURL: env.Server.Origin() + "/" + path + "/status"}
	env.Server.Mux.Handle("/"+path+"/status/", http.StripPrefix("/"+path+"/status", m.Handler()))
	return &setup{env: env, issuer: iss, manager: m}
}

func (s *setup) verifier() *credential.Verifier {
	core := &credential.Verifier{Resolver: s.env.Resolver, Now: s.env.Now}
	v := *core
	v.Status = &status.Checker{Client: s.env.Client, Verifier: core, TTL: time.Minute}
	return &v
}

func TestRevocation(t *testing.T) {
	ctx := context.Background()
	env := credtest.NewEnv(t)
	s := newSetup(t, env, "issuer")
	other := newSetup(t, env, "other")
	holder := credtest.KeyDID(t, credential.EdDSA).DID()

	for _, kind := range []status.Kind{status.StatusList2021, status.BitstringStatusList} {
		t.Run(string(kind), func(t *testing.T) {
			list := string(kind)
			if err := s.manager.Create(ctx, list, kind, "revocation", 0); err != nil {
				t.Fatal(err)
			}
			entry, err := s.manager.Allocate(ctx, list)
			if err != nil {
				t.Fatal(err)
			}
			if entry.Type != kind.EntryType() || entry.StatusListCredential != s.manager.URL(list) {
				t.Fatalf("entry %+v", entry)
			}
			c := credential.Claims{Types: []string{"VerifiedEmployee"}, Subject: map[string]any{"id": holder}, Status: &entry}
			if kind == status.BitstringStatusList {
				c.Format = credential.FormatVCJWT
			}
			jwt, err := s.issuer.Issue(c)
			if err != nil {
				t.Fatal(err)
			}
			v := s.verifier()
			check := func(want credential.Code) {
				t.Helper()
				r := v.VerifyCredential(ctx, jwt)
				if r.Code != want || r.Valid != (want == "") {
					t.Fatalf("code %q (%s), want %q", r.Code, r.Detail, want)
				}
			}
			check("")
			index, _ := strconv.Atoi(entry.StatusListIndex)
			if err := s.manager.SetStatus(ctx, list, index, true); err != nil {
				t.Fatal(err)
			}
			check("") // the verifier's cached list is still fresh
			env.Advance(2 * time.Minute)
			check(credential.CodeRevoked)
			if err := s.manager.SetStatus(ctx, list, index, false); err != nil {
				t.Fatal(err)
			}
			env.Advance(2 * time.Minute)
			check("")
		})
	}

	// status_unavailable: the list is missing, issued by someone else, of another purpose, or the index
	// is outside it.
	if err := other.manager.Create(ctx, "theirs", status.BitstringStatusList, "revocation", 0); err != nil {
		t.Fatal(err)
	}
	if err := s.manager.Create(ctx, "suspensions", status.BitstringStatusList, "suspension", 0); err != nil {
		t.Fatal(err)
	}
	entry := func(url, purpose, index string) *credential.Status {
		return &credential.Status{Type: "BitstringStatusListEntry", StatusPurpose: purpose, StatusListIndex: index, StatusListCredential: url}
	}
	for _, tt := range []struct {
		name  string
		entry *credential.Status
	}{
		{"missing list", entry(s.manager.URL("nope"), "revocation", "1")},
		{"list of another issuer", entry(other.manager.URL("theirs"), "revocation", "1")},
		{"purpose mismatch", entry(s.manager.URL("suspensions"), "revocation", "1")},
		{"index outside the list", entry(s.manager.URL(string(status.BitstringStatusList)), "revocation", "99999999")},
		{"negative index", entry(s.manager.URL(string(status.BitstringStatusList)), "revocation", "-1")},
		{"plain http list", entry("http://localhost:"+env.Server.Port+"/issuer/status/x", "revocation", "1")},
		{"list on a private address", entry("https://10.1.2.3/status/1", "revocation", "1")},
		{"unknown status type", &credential.Status{Type: "RevocationList2020Status", StatusListIndex: "1", StatusListCredential: s.manager.URL("x")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			jwt, err := s.issuer.Issue(credential.Claims{Subject: map[string]any{"id": holder}, Status: tt.entry})
			if err != nil {
				t.Fatal(err)
			}
			r := s.verifier().VerifyCredential(ctx, jwt)
			if r.Code != credential.CodeStatusUnavailable {
				t.Fatalf("code %q (%s)", r.Code, r.Detail)
			}
		})
	}
}

func TestFileStorePersists(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := &status.FileStore{Dir: dir}
	l := &status.List{ID: "l1", Kind: status.BitstringStatusList, Purpose: "revocation", Bits: status.NewBitstring(0), Allocated: status.NewBitstring(0), Version: 3}
	_ = l.Bits.Set(42, true)
	if err := a.Save(ctx, l); err != nil {
		t.Fatal(err)
	}
	got, err := (&status.FileStore{Dir: dir}).Load(ctx, "l1")
	if err != nil {
		t.Fatal(err)
	}
	if set, _ := got.Bits.Get(42); !set || got.Version != 3 || got.Purpose != "revocation" {
		t.Fatalf("loaded %+v", got)
	}
	if _, err := a.Load(ctx, "../etc"); err == nil {
		t.Fatal("loaded a list with a path in its id")
	}
}
