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

// BenchmarkResolveHandler is one GET /identifiers/{did} through the node's whole handler chain (request
// id, access log, timeout, router, resolver, embedded store) without the network: the CPU and the
// allocations a resolution costs the node, which bench/resolve measures over loopback.
func BenchmarkResolveHandler(b *testing.B) {
	const dids = 1000
	ctx := context.Background()
	network := sidetree.Regtest()
	recovery, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	update, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	signing, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	paths := make([]string, dids)
	ops := make([]sidetree.AnchoredOperation, dids)
	for i := range dids {
		doc := sidetree.Document{
			PublicKeys: []sidetree.PublicKey{{ID: "key-1", Type: "EcdsaSecp256k1VerificationKey2019", JWK: signing.Public().Value(),
				Purposes: []string{"authentication", "assertionMethod"}}},
			Services: []sidetree.Service{{ID: "dwn", Type: "DecentralizedWebNode", Endpoint: sidetree.String(fmt.Sprintf("https://dwn.example.com/%d", i))}},
		}
		c, err := sidetree.NewCreateRequest(network.Method, recovery, update, doc, network.Latest())
		if err != nil {
			b.Fatal(err)
		}
		ops[i] = sidetree.AnchoredOperation{Type: sidetree.OpCreate, DIDSuffix: c.DIDSuffix, Raw: c.Body.Stringify(),
			TransactionNumber: 1000 << 32, TransactionTime: 1000, OperationIndex: uint32(i)}
		paths[i] = "/identifiers/did:ion:" + c.DIDSuffix
	}
	for _, tc := range []struct {
		name    string
		memo    int64
		answers bool
	}{{"answers", 0, true}, {"memo", 0, false}, {"no-memo", -1, false}} {
		b.Run(tc.name, func(b *testing.B) {
			// answers: node/daemon's wiring, serialized answers kept (ion.Answers). memo: states kept
			// in memory, each answer composed and serialized again. no-memo (-1): every resolution
			// also reads the persisted state cache.
			s, err := pebble.Open(b.TempDir(), pebble.Options{CacheSize: 64 << 20, StateMemoSize: tc.memo})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close(ctx)
			if err := s.PutOperations(ctx, ops); err != nil {
				b.Fatal(err)
			}
			var resolver node.DIDResolver = &ion.Resolver{Network: network, Log: s, Cache: s}
			if tc.answers {
				resolver = ion.NewAnswers(&ion.Resolver{Network: network, Log: s, Cache: s}, 0)
			}
			metrics := node.NewMetrics() // one set, shared as node/daemon shares it
			rt := &node.Routes{
				API:     &node.API{Network: network, Resolver: resolver, Metrics: metrics},
				Metrics: metrics,
				Logger:  slog.New(slog.DiscardHandler),
			}
			h := rt.Handler()
			get := func(path string) {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", path, w.Code, w.Body)
				}
			}
			for _, p := range paths { // materialize every state, as on a node that has been serving
				get(p)
			}
			b.ReportAllocs()
			cpu0 := cputime.Self()
			for i := 0; b.Loop(); i++ {
				get(paths[i%dids])
			}
			// CPU time, not wall time: on a shared machine the wall clock also counts other processes.
			b.ReportMetric(float64(cputime.Self()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
