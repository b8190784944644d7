package oid4vci_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/oid4vcitest"
)

// countingSessions counts the records written to a session store.
type countingSessions struct {
	oid4vci.Sessions
	puts atomic.Int64
}

func (c *countingSessions) PutSession(ctx context.Context, id string, data []byte, expires time.Time) (bool, error) {
	c.puts.Add(1)
	return c.Sessions.PutSession(ctx, id, data, expires)
}

func (c *countingSessions) SwapSession(ctx context.Context, id string, version uint64, data []byte, expires time.Time) (bool, error) {
	c.puts.Add(1)
	return c.Sessions.SwapSession(ctx, id, version, data, expires)
}

// replica is a second issuer on the same store, as a read replica behind a load balancer runs it.
func replica(t *testing.T, e *env, sessions oid4vci.Sessions) *oid4vci.Issuer {
	t.Helper()
	iss := &oid4vci.Issuer{URL: e.Issuer.URL, Config: e.Issuer.Config, Credentials: e.Issuer.Credentials,
		Status: e.Issuer.Status, StatusList: list, Holders: e.Resolver, Sessions: sessions, Now: e.Now}
	if err := iss.Init(); err != nil {
		t.Fatal(err)
	}
	return iss
}

// TestNonceEndpointStoresNothing: anyone may ask for nonces, so asking writes nothing to the store
// (past the issuer's MAC key, once); a nonce is recorded when a proof uses it.
func TestNonceEndpointStoresNothing(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	counted := &countingSessions{Sessions: e.Sessions}
	iss := replica(t, e, counted)
	for range 1000 {
		if _, err := iss.NewNonce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := counted.puts.Load(); n > 1 {
		t.Fatalf("1,000 nonces wrote %d records", n)
	}
}

// TestNonceChecks: a nonce works once, before its expiry, at any issuer sharing the store, and only
// as it was issued.
func TestNonceChecks(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	holder := credtest.KeyDID(t, credential.EdDSA)
	other := replica(t, e, oid4vcitest.NewSessions(e.Now)) // another issuer: its own store, its own key
	shared := replica(t, e, e.Sessions)
	short := replica(t, e, e.Sessions) // nonces that expire before the access token does
	short.NonceTTL = time.Minute
	flip := func(n string) string {
		b := []byte(n)
		b[len(b)/2] ^= 0x01
		if b[len(b)/2] == '-' || b[len(b)/2] == '_' {
			b[len(b)/2] = 'A'
		}
		return string(b)
	}
	tests := []struct {
		name  string
		nonce func(t *testing.T) string
		code  oid4vci.Code
	}{
		{"from this issuer", func(t *testing.T) string { n, _ := e.Issuer.NewNonce(ctx); return n }, ""},
		{"from a replica on the same store", func(t *testing.T) string { n, _ := shared.NewNonce(ctx); return n }, ""},
		{"from another issuer", func(t *testing.T) string { n, _ := other.NewNonce(ctx); return n }, oid4vci.CodeInvalidNonce},
		{"altered", func(t *testing.T) string { n, _ := e.Issuer.NewNonce(ctx); return flip(n) }, oid4vci.CodeInvalidNonce},
		{"cut short", func(t *testing.T) string { n, _ := e.Issuer.NewNonce(ctx); return n[:len(n)-2] }, oid4vci.CodeInvalidNonce},
		{"made up", func(t *testing.T) string { return "AQAAAABn0cqAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }, oid4vci.CodeInvalidNonce},
		{"expired", func(t *testing.T) string {
			n, _ := short.NewNonce(ctx)
			e.Advance(short.NonceTTL + time.Second)
			return n
		}, oid4vci.CodeInvalidNonce},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := preAuthCode(t, e.Offer(t, oid4vci.OfferRequest{ConfigurationIDs: []string{employee, badge}}))
			tok, err := e.Issuer.Token(ctx, tokenForm(code, ""))
			if err != nil {
				t.Fatal(err)
			}
			n := tt.nonce(t)
			p := proof(t, holder, map[string]any{"aud": e.Issuer.URL, "iat": e.Now().Unix(), "nonce": n})
			_, err = e.Issuer.Credential(ctx, tok.AccessToken, credentialRequest(employee, p))
			wantCode(t, err, tt.code)
			if tt.code != "" {
				return
			}
			// Used once, at any replica: the same nonce in a fresh proof is refused.
			again := proof(t, holder, map[string]any{"aud": e.Issuer.URL, "iat": e.Now().Unix(), "nonce": n})
			_, err = shared.Credential(ctx, tok.AccessToken, credentialRequest(badge, again))
			wantCode(t, err, oid4vci.CodeInvalidNonce)
		})
	}
}
