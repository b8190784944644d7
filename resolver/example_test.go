package resolver_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/ionode/ionode/client"
	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/resolver/key"
	"github.com/ionode/ionode/resolver/web"
)

// newMethods is the resolver a verifier's service embeds, without the ionode daemon: did:ion through a
// node of its choice (any ION node: the routes are the same) or, without one, long-form DIDs only;
// did:web over HTTPS behind the SSRF guard (no loopback, private or link-local address, unless allowed
// explicitly); did:key and did:jwk computed locally.
func newMethods(ionNodeURL string) (*resolver.Dispatcher, error) {
	var didION resolver.IONResolver = ion.LongFormOnly{}
	if ionNodeURL != "" {
		node, err := client.New(ionNodeURL)
		if err != nil {
			return nil, err
		}
		didION = node
	}
	return &resolver.Dispatcher{Methods: map[string]resolver.Method{
		"ion": resolver.ION(didION),
		"web": web.New(&web.Client{UserAgent: "my-verifier"}, web.Options{}),
		"key": key.Key{},
		"jwk": key.JWK{},
	}}, nil
}

// Embed the resolver, and a credential verifier on it, in a Go service.
func Example_embedding() {
	methods, err := newMethods("") // e.g. "https://ion.example.com" to resolve short-form did:ion
	if err != nil {
		panic(err)
	}
	verifier := &credential.Verifier{Resolver: methods}
	_ = verifier // verifier.VerifyCredential(ctx, jwt), verifier.VerifyPresentation(ctx, jwt, opts)

	ctx := context.Background()
	res, err := methods.Resolve(ctx, "did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z")
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Document.ID == "did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z", len(res.Document.VerificationMethod))

	// did:web never reaches an internal address: the guard refuses before connecting.
	_, err = methods.Resolve(ctx, "did:web:localhost%3A8443")
	fmt.Println(errors.Is(err, resolver.ErrNotFound), errors.Is(err, web.ErrForbiddenAddress))

	// A short-form did:ion needs a node; without one it is not found.
	_, err = methods.Resolve(ctx, "did:ion:EiA9RmVRL_A2kqmH2BbocdSdafSkVmfOT1mVNtPZINoG2g")
	fmt.Println(errors.Is(err, resolver.ErrNotFound))

	_, err = methods.Resolve(ctx, "did:example:123")
	fmt.Println(errors.Is(err, resolver.ErrMethodNotSupported))
	// Output:
	// true 1
	// true true
	// true
	// true
}
