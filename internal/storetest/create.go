package storetest

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/ionode/ionode/node/store"
	"github.com/ionode/ionode/sidetree"
)

// PutCreate anchors a create of a DID with doc (under a fresh key) in st, as transaction 1's first
// operation, and returns the DID's suffix: a DID that resolves, for tests and benchmarks of resolution.
func PutCreate(tb testing.TB, st store.Store, network sidetree.Network, doc sidetree.Document) string {
	tb.Helper()
	key, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := sidetree.NewCreateRequest(network.Method, key.Public(), key.Public(), doc, network.Latest())
	if err != nil {
		tb.Fatal(err)
	}
	op := sidetree.AnchoredOperation{Type: sidetree.OpCreate, DIDSuffix: c.DIDSuffix, Raw: c.Body.Stringify(), TransactionNumber: 1 << 32, TransactionTime: 1}
	if err := st.PutOperations(context.Background(), []sidetree.AnchoredOperation{op}); err != nil {
		tb.Fatal(err)
	}
	return c.DIDSuffix
}
