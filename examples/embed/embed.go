// Package embed is a verifier's Go service as it embeds ionode, in a module of its own: it imports only
// the supported packages (client, sidetree, resolver/..., credential), as a program outside the
// repository would. Its tests resolve a long-form DID offline, issue and verify a credential, and talk
// to a real node (`ionode testnet`, started by the test).
package embed

import (
	"crypto"
	"fmt"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/methods"
	"github.com/ionode/ionode/resolver/web"
	"github.com/ionode/ionode/sidetree"
)

// Resolver is the service's DID resolver: did:ion through the node at ionNodeURL (any ION node), or
// long-form did:ion only when ionNodeURL is ""; did:web over HTTPS behind the SSRF guard; did:key and
// did:jwk computed locally.
func Resolver(ionNodeURL string) (*resolver.Dispatcher, error) {
	didION, err := methods.ION(ionNodeURL)
	if err != nil {
		return nil, err
	}
	return methods.New(didION, web.New(&web.Client{UserAgent: "embed-example"}, web.Options{}), nil), nil
}

// Verifier verifies credentials and presentations with the service's resolver.
func Verifier(nodeURL string) (*credential.Verifier, error) {
	resolve, err := Resolver(nodeURL)
	if err != nil {
		return nil, err
	}
	return &credential.Verifier{Resolver: resolve}, nil
}

// IssuerDID is a new did:ion for an issuer: its create request (to post to a node), and the signer of
// its assertion key under its long form (usable at once) and its short form (once anchored).
type IssuerDID struct {
	Create              *sidetree.CreateRequest
	LongForm, ShortForm *credential.Signer
}

// NewIssuerDID makes an issuer DID of the network's method ("ion" for mainnet and regtest) with one
// Ed25519 key in assertionMethod.
func NewIssuerDID(method string, random func() (sidetree.JWK, error)) (*IssuerDID, error) {
	priv, err := credential.GenerateKey(credential.EdDSA)
	if err != nil {
		return nil, err
	}
	pub, err := resolver.MarshalJWK(priv.(crypto.Signer).Public())
	if err != nil {
		return nil, err
	}
	jwk, err := sidetree.ParseJSON(pub)
	if err != nil {
		return nil, err
	}
	recovery, err := random()
	if err != nil {
		return nil, err
	}
	update, err := random()
	if err != nil {
		return nil, err
	}
	doc := sidetree.Document{PublicKeys: []sidetree.PublicKey{{ID: "key-1", Type: "JsonWebKey2020", JWK: jwk,
		Purposes: []string{sidetree.PurposeAssertionMethod}}}}
	create, err := sidetree.NewCreateRequest(method, recovery, update, doc, sidetree.Mainnet().Latest())
	if err != nil {
		return nil, fmt.Errorf("create request: %w", err)
	}
	long, err := credential.NewSigner(create.LongForm+"#key-1", priv)
	if err != nil {
		return nil, err
	}
	short, err := credential.NewSigner("did:"+method+":"+create.DIDSuffix+"#key-1", priv)
	if err != nil {
		return nil, err
	}
	return &IssuerDID{Create: create, LongForm: long, ShortForm: short}, nil
}
