package client_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ionode/ionode/client"
	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/internal/credtest"
	"github.com/ionode/ionode/internal/instantchain"
	"github.com/ionode/ionode/internal/oid4vcitest"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/resolver/key"
	"github.com/ionode/ionode/sidetree"
)

const adminToken = "client-test-admin-token"

// busyQueue is the instant chain behind a node whose queue reports the DID's previous operation as
// still waiting for the first refusals calls, as a node's batch writer does until it anchors.
type busyQueue struct {
	*instantchain.Chain
	refusals atomic.Int32
}

func (q *busyQueue) Enqueue(ctx context.Context, suffix string, t sidetree.OperationType, req []byte) error {
	if q.refusals.Add(-1) >= 0 {
		return node.ErrAlreadyQueued
	}
	return q.Chain.Enqueue(ctx, suffix, t, req)
}

// testNode is the node's real HTTP handler (node.Routes, as ionode serve builds it) over an operation
// log that anchors at once, with the credential and wallet-exchange routes of a did:key issuer.
type testNode struct {
	URL    string
	Queue  *busyQueue
	Issuer *credential.Signer
	// hits counts the requests per path, wrap (when set) sees each request before the node.
	hits map[string]*atomic.Int32
	wrap func(w http.ResponseWriter, r *http.Request) bool
}

func startNode(t *testing.T) *testNode {
	t.Helper()
	net := sidetree.Mainnet()
	q := &busyQueue{Chain: instantchain.New()}
	ionResolver := &ion.Resolver{Network: net, Log: q.Chain}
	methods := &resolver.Dispatcher{Methods: map[string]resolver.Method{"ion": resolver.ION(ionResolver), "key": key.Key{}, "jwk": key.JWK{}}}
	issuer := credtest.KeyDID(t, credential.EdDSA)
	verifier := &credential.Verifier{Resolver: methods}
	creds := &httpapi.API{Verifier: verifier, Issuer: &credential.Issuer{Signer: issuer},
		AdminTokenSHA256: []string{httpapi.HashToken(adminToken)}}
	requests := &exchange.Requests{Sessions: oid4vcitest.NewSessions(time.Now)}
	ex := exchange.NewMux(requests, []string{httpapi.HashToken(adminToken)})
	tn := &testNode{Queue: q, Issuer: issuer, hits: map[string]*atomic.Int32{}}
	routes := &node.Routes{
		API:         &node.API{Network: net, Resolver: ionResolver, Queue: q, Log: q.Chain, Version: "test"},
		Driver:      &node.Driver{Resolver: ionResolver, Methods: methods},
		History:     &node.History{Network: net, Log: q.Chain},
		Status:      &node.Status{Network: net, Version: "test", Queue: nil},
		Credentials: creds.Handler(),
		Exchange:    ex,
		Logger:      slog.New(slog.DiscardHandler),
	}
	srv := httptest.NewServer(nil)
	t.Cleanup(srv.Close)
	(&oid4vp.Verifier{Requests: requests, Dispatcher: &exchange.Dispatcher{}, Credentials: verifier, Signer: issuer, BaseURL: srv.URL}).Mount(ex)
	h := routes.Handler()
	for _, p := range []string{"/status", "/operations", "/credentials/verify"} {
		tn.hits[p] = new(atomic.Int32)
	}
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n, ok := tn.hits[r.URL.Path]; ok {
			n.Add(1)
		}
		if tn.wrap != nil && tn.wrap(w, r) {
			return
		}
		h.ServeHTTP(w, r)
	})
	tn.URL = srv.URL
	return tn
}

func newClient(t *testing.T, url string) *client.Client {
	t.Helper()
	c, err := client.New(url)
	if err != nil {
		t.Fatal(err)
	}
	c.AdminToken = adminToken
	c.Retry = client.Retry{Base: 1, Max: 2} // nanoseconds: the tests count attempts, not time
	return c
}
