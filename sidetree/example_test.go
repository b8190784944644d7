package sidetree_test

import (
	"bytes"
	"fmt"

	"github.com/ionode/ionode/sidetree"
)

// fixedKey is a secp256k1 key from a fixed seed, so that the examples' output is stable. Use
// sidetree.GenerateES256K(rand.Reader) for real keys.
func fixedKey(seed byte) sidetree.JWK {
	k, err := sidetree.ES256KFromPrivate(bytes.Repeat([]byte{seed}, 32))
	if err != nil {
		panic(err)
	}
	return k
}

// Create a DID: its keys, its document, the create request to post to a node, and its long form, which
// resolves before (and without) anchoring.
func ExampleNewCreateRequest() {
	recovery, update, signing := fixedKey(1), fixedKey(2), fixedKey(3)
	doc := sidetree.Document{PublicKeys: []sidetree.PublicKey{{
		ID: "key-1", Type: "EcdsaSecp256k1VerificationKey2019", JWK: signing.Public().Value(),
		Purposes: []string{sidetree.PurposeAuthentication, sidetree.PurposeAssertionMethod},
	}}}
	req, err := sidetree.NewCreateRequest("ion", recovery, update, doc, sidetree.Mainnet().Latest())
	if err != nil {
		panic(err)
	}
	fmt.Println("did:ion:" + req.DIDSuffix)
	fmt.Println(req.LongForm[:len("did:ion:")+len(req.DIDSuffix)+1] + "…")
	typ, _ := req.Body.Field("type").Str()
	fmt.Println(typ)
	// Output:
	// did:ion:EiA9RmVRL_A2kqmH2BbocdSdafSkVmfOT1mVNtPZINoG2g
	// did:ion:EiA9RmVRL_A2kqmH2BbocdSdafSkVmfOT1mVNtPZINoG2g:…
	// create
}

// Build and sign an update: add a service, and commit to the next update key (the key that signs the
// update after this one). The signature is ES256K over the update's signed data.
func ExampleNewUpdateRequest() {
	recovery, update, next := fixedKey(1), fixedKey(2), fixedKey(4)
	create, err := sidetree.NewCreateRequest("ion", recovery, update, sidetree.Document{}, sidetree.Mainnet().Latest())
	if err != nil {
		panic(err)
	}
	changes := sidetree.UpdateChanges{AddServices: []sidetree.Service{{
		ID: "hub", Type: "LinkedDomains", Endpoint: sidetree.String("https://hub.example.com"),
	}}}
	body, err := sidetree.NewUpdateRequest(create.DIDSuffix, update, next, changes, sidetree.Mainnet().Latest())
	if err != nil {
		panic(err)
	}
	// A node checks the request the same way before queueing it.
	op, err := sidetree.ValidateRequest(body.Stringify(), sidetree.Mainnet().Latest())
	if err != nil {
		panic(err)
	}
	fmt.Println(op.Type, op.DIDSuffix == create.DIDSuffix)
	fmt.Println(op.RevealValue == sidetree.RevealValueOf(update.Public().Value()))
	nextCommitment, _ := op.Delta.Field("updateCommitment").Str()
	fmt.Println(nextCommitment == sidetree.CommitmentOf(next.Public().Value()))
	// Output:
	// update true
	// true
	// true
}
