package main

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/node/store/pebble"
)

// testVerifier is the node's OpenID4VP verifier behind the Request Service API on loopback (admin
// token "tok"), for the CLI's wallet-exchange commands to talk to.
type testVerifier struct {
	env      *credtest.Env
	requests *exchange.Requests
	verifier *oid4vp.Verifier
	srv      *httptest.Server
}

func startVerifier(t *testing.T) *testVerifier {
	t.Helper()
	env := credtest.NewEnv(t)
	st, err := pebble.Open(t.TempDir(), pebble.Options{CacheSize: 1 << 20, StateMemoSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(context.Background()) })
	requests := &exchange.Requests{Sessions: st}
	v := &oid4vp.Verifier{Requests: requests, Dispatcher: &exchange.Dispatcher{Client: exchange.NewCallbackClient(env.Client.Guard, false)},
		Credentials: &credential.Verifier{Resolver: env.Resolver, IgnoreStatus: true}, Signer: credtest.KeyDID(t, credential.EdDSA),
		SDJWT: &sdjwt.Verifier{Resolver: env.Resolver, IgnoreStatus: true}}
	mux := exchange.NewMux(requests, []string{httpapi.HashToken("tok")})
	v.Mount(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	v.BaseURL = srv.URL
	return &testVerifier{env: env, requests: requests, verifier: v, srv: srv}
}
