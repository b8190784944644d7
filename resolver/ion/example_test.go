package ion_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// Resolve a long-form did:ion offline: the DID carries its create operation, so no node is needed to
// read its initial document. (Whether it was updated since takes a node: see package client.)
func ExampleLongFormOnly() {
	recovery, err := sidetree.ES256KFromPrivate(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		panic(err)
	}
	doc := sidetree.Document{Services: []sidetree.Service{{ID: "hub", Type: "LinkedDomains", Endpoint: sidetree.String("https://hub.example.com")}}}
	create, err := sidetree.NewCreateRequest("ion", recovery, recovery.Public(), doc, sidetree.Mainnet().Latest())
	if err != nil {
		panic(err)
	}

	// ION's own resolution body, as GET /identifiers/{did} answers it...
	res, err := ion.LongFormOnly{}.Resolve(context.Background(), create.LongForm)
	if err != nil {
		panic(err)
	}
	published, _ := res.Body.Field("didDocumentMetadata").Field("method").Field("published").Boolean()
	fmt.Println(res.Status, published)

	// ...or a resolver.Method, for a Dispatcher and a credential.Verifier.
	out, err := resolver.ION(ion.LongFormOnly{}).Resolve(context.Background(), create.LongForm)
	if err != nil {
		panic(err)
	}
	fmt.Println(out.Document.ID == create.LongForm, out.Document.Service[0].ID)
	// Output:
	// 200 false
	// true #hub
}
