package node_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ionode/ionode/internal/cputime"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// benchDIDs is how many DIDs the resolution benchmarks store and resolve in turn.
const benchDIDs = 1000

// resolveFixture is n creates (one key, one service each, as bench/resolve stores them) and
// the resolution path of each.
type resolveFixture struct {
	network sidetree.Network
	ops     []sidetree.AnchoredOperation
	paths   []string
}

func newResolveFixture(b testing.TB, n int) *resolveFixture {
	b.Helper()
	network := sidetree.Regtest()
	var keys [3]sidetree.JWK
	for i := range keys {
		k, err := sidetree.GenerateES256K(rand.Reader)
		if err != nil {
			b.Fatal(err)
		}
		keys[i] = k
	}
	recovery, update, signing := keys[0], keys[1], keys[2]
	f := &resolveFixture{network: network, ops: make([]sidetree.AnchoredOperation, n), paths: make([]string, n)}
	for i := range n {
		doc := sidetree.Document{
			PublicKeys: []sidetree.PublicKey{{ID: "key-1", Type: "EcdsaSecp256k1VerificationKey2019", JWK: signing.Public().Value(),
				Purposes: []string{"authentication", "assertionMethod"}}},
			Services: []sidetree.Service{{ID: "dwn", Type: "DecentralizedWebNode", Endpoint: sidetree.String(fmt.Sprintf("https://dwn.example.com/%d", i))}},
		}
		c, err := sidetree.NewCreateRequest(network.Method, recovery, update, doc, network.Latest())
		if err != nil {
			b.Fatal(err)
		}
		f.ops[i] = sidetree.AnchoredOperation{Type: sidetree.OpCreate, DIDSuffix: c.DIDSuffix, Raw: c.Body.Stringify(),
			TransactionNumber: 1000 << 32, TransactionTime: 1000, OperationIndex: uint32(i)}
		f.paths[i] = "/identifiers/did:ion:" + c.DIDSuffix
	}
	return f
}

// handler is the node's handler chain over an embedded store holding the fixture's DIDs, with every
// state materialized and, with answers, every answer kept, as on a node that has been serving a while.
// memo is pebble.Options.StateMemoSize; answers: node/daemon's wiring (ion.Answers).
func (f *resolveFixture) handler(b testing.TB, memo int64, answers bool) http.Handler {
	b.Helper()
	return f.routes(b, memo, func(r *ion.Resolver) node.DIDResolver {
		if answers {
			return ion.NewAnswers(r, 0)
		}
		return r
	})
}

// routes is handler with the resolver that wrap makes of the store's.
func (f *resolveFixture) routes(b testing.TB, memo int64, wrap func(*ion.Resolver) node.DIDResolver) http.Handler {
	b.Helper()
	return f.warm(b, f.routesOf(b, memo, wrap))
}

// routesOf is the node's routes over an embedded store holding the fixture's DIDs, with the resolver
// that wrap makes of the store's, before any request.
func (f *resolveFixture) routesOf(b testing.TB, memo int64, wrap func(*ion.Resolver) node.DIDResolver) *node.Routes {
	b.Helper()
	ctx := context.Background()
	s, err := pebble.Open(b.TempDir(), pebble.Options{CacheSize: 64 << 20, StateMemoSize: memo})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close(ctx) })
	if err := s.PutOperations(ctx, f.ops); err != nil {
		b.Fatal(err)
	}
	resolver := wrap(&ion.Resolver{Network: f.network, Log: s, Cache: s})
	metrics := node.NewMetrics() // one set, shared as node/daemon shares it
	return &node.Routes{
		API:     &node.API{Network: f.network, Resolver: resolver, Metrics: metrics},
		Metrics: metrics,
		Logger:  slog.New(slog.DiscardHandler),
	}
}

// warm resolves every DID of the fixture once through rt's handler, which it returns.
func (f *resolveFixture) warm(b testing.TB, rt *node.Routes) http.Handler {
	b.Helper()
	h := rt.Handler()
	for _, p := range f.paths {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequestWithContext(context.Background(), http.MethodGet, p, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", p, w.Code, w.Body)
		}
	}
	return h
}

// BenchmarkResolveHandler is one GET /identifiers/{did} through the node's whole handler chain (request
// id, access log, timeout, router, resolver, embedded store) without the network: the CPU and the
// allocations a resolution costs the node, which bench/resolve measures over loopback.
// BenchmarkResolveServer adds what net/http and a real connection cost.
func BenchmarkResolveHandler(b *testing.B) {
	f := newResolveFixture(b, benchDIDs)
	for _, tc := range []struct {
		name    string
		memo    int64
		answers bool
	}{{"answers", 0, true}, {"memo", 0, false}, {"no-memo", -1, false}} {
		b.Run(tc.name, func(b *testing.B) {
			// answers: node/daemon's wiring, serialized answers kept (ion.Answers). memo: states kept
			// in memory, each answer composed and serialized again. no-memo (-1): every resolution
			// also reads the persisted state cache.
			h := f.handler(b, tc.memo, tc.answers)
			ctx := context.Background()
			b.ReportAllocs()
			cpu0 := cputime.Self()
			for i := 0; b.Loop(); i++ {
				w := httptest.NewRecorder()
				p := f.paths[i%benchDIDs]
				h.ServeHTTP(w, httptest.NewRequestWithContext(ctx, http.MethodGet, p, nil))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", p, w.Code, w.Body)
				}
			}
			// CPU time, not wall time: on a shared machine the wall clock also counts other processes.
			b.ReportMetric(float64(cputime.Self()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
