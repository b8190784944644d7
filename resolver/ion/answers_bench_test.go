package ion_test

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/ionode/ionode/internal/storetest"
	"github.com/ionode/ionode/node/store/pebble"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// BenchmarkAnswer is GET /identifiers' answer for a DID with one key and one service over the node's
// embedded store (its state memo on), as node/daemon wires it: kept (a hit), and not kept (a miss:
// its state read from the memo, the answer written, kept, served; bench/resolve's 100,000 DIDs miss
// the kept answers a few percent of the time).
func BenchmarkAnswer(b *testing.B) {
	ctx := context.Background()
	s, err := pebble.Open(b.TempDir(), pebble.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(ctx)
	network := sidetree.Regtest()
	key, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	suffix := storetest.PutCreate(b, s, network, sidetree.Document{
		PublicKeys: []sidetree.PublicKey{{ID: "key-1", Type: "EcdsaSecp256k1VerificationKey2019", JWK: key.Public().Value(),
			Purposes: []string{"authentication", "assertionMethod"}}},
		Services: []sidetree.Service{{ID: "dwn", Type: "DecentralizedWebNode", Endpoint: sidetree.String("https://dwn.example.com/1")}},
	})
	a := ion.NewAnswers(&ion.Resolver{Network: network, Log: s, Cache: s}, 0)
	did := "did:ion:" + suffix
	for _, tc := range []struct {
		name string
		miss bool
	}{{"hit", false}, {"miss", true}} {
		b.Run(tc.name, func(b *testing.B) {
			ans, err := a.Answer(ctx, did) // the state memo holds the DID from here on
			if err != nil || ans.Status != 200 {
				b.Fatal(ans, err)
			}
			ans.Release()
			b.ReportAllocs()
			for b.Loop() {
				if tc.miss {
					ion.ForgetKept(a, did)
				}
				ans, err := a.Answer(ctx, did)
				if err != nil || ans.Status != 200 {
					b.Fatal(ans, err)
				}
				ans.Release()
			}
		})
	}
}
