package client_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"time"

	"github.com/gorilla/mux"

	"github.com/ionode/ionode/client"
	"github.com/ionode/ionode/internal/instantchain"
	"github.com/ionode/ionode/node"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/sidetree"
)

// exampleNode serves the node's ION API over an operation log that anchors at once; a real node
// (`ionode testnet`, `ionode serve`) takes its place in a program.
func exampleNode() *httptest.Server {
	chain := instantchain.New()
	r := mux.NewRouter()
	(&node.API{Network: sidetree.Mainnet(), Resolver: &ion.Resolver{Network: sidetree.Mainnet(), Log: chain}, Queue: chain, Log: chain,
		Logger: slog.New(slog.DiscardHandler)}).Register(r)
	return httptest.NewServer(r)
}

// Submit a create operation and wait until the node resolves the DID as published.
func ExampleClient_SubmitAndWait() {
	srv := exampleNode()
	defer srv.Close()

	key, err := sidetree.ES256KFromPrivate(bytes.Repeat([]byte{5}, 32)) // sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		panic(err)
	}
	create, err := sidetree.NewCreateRequest("ion", key, key.Public(), sidetree.Document{}, sidetree.Mainnet().Latest())
	if err != nil {
		panic(err)
	}

	c, err := client.New(srv.URL) // e.g. http://127.0.0.1:3000
	if err != nil {
		panic(err)
	}
	// How long to wait is the context's: on regtest seconds, on mainnet up to an hour or so.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	did := "did:ion:" + create.DIDSuffix
	res, err := c.SubmitAndWait(ctx, did, create.Body.Stringify(), client.Wait{Interval: 10 * time.Millisecond})
	if err != nil {
		panic(err)
	}
	published, _ := res.Field("didDocumentMetadata").Field("method").Field("published").Boolean()
	fmt.Println(did, published)

	// The node refuses a second create of the same DID, with a code to match.
	_, err = c.Submit(ctx, create.Body.Stringify())
	var refused *client.APIError
	fmt.Println(errors.Is(err, client.ErrAlreadyAnchored), errors.As(err, &refused) && refused.StatusCode == 400)
	// Output:
	// did:ion:EiD24EymIOXvMHvb26U9xIvI43wDPtnAfwGjun4AmxAc-A true
	// true true
}
