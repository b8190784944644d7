package credtest

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/internal/webtest"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/resolver/key"
	"github.com/ionode/ionode/resolver/web"
	"github.com/ionode/ionode/sidetree"
)

// Env is a resolution environment for tests.
type Env struct {
	Server   *webtest.Server
	Client   *web.Client
	Web      *web.Resolver
	Resolver *resolver.Dispatcher
	Network  sidetree.Network
	clock    atomic.Int64
}

// Start is the initial time of Env clocks.
var Start = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// NewEnv starts a did:web server and a dispatcher for did:web, did:key, did:jwk and did:ion (regtest).
func NewEnv(t testing.TB) *Env {
	t.Helper()
	e := &Env{Server: webtest.NewServer(t), Network: sidetree.Regtest()}
	e.clock.Store(Start.UnixNano())
	e.Client = e.Server.Client()
	e.Web = web.New(e.Client, web.Options{Now: e.Now})
	e.Resolver = &resolver.Dispatcher{Methods: map[string]resolver.Method{
		"web": e.Web,
		"key": key.Key{},
		"jwk": key.JWK{},
		"ion": resolver.ION(&ion.Resolver{Network: e.Network, Log: EmptyLog{}}),
	}}
	return e
}

// Now is the environment's clock.
func (e *Env) Now() time.Time { return time.Unix(0, e.clock.Load()).UTC() }

// Advance moves the clock.
func (e *Env) Advance(d time.Duration) { e.clock.Add(int64(d)) }

// EmptyLog is a did:ion operation log without operations: long-form DIDs resolve from their embedded
// create operation, as on a node that has not seen them anchored.
type EmptyLog struct{}

// Operations returns no operations.
func (EmptyLog) Operations(context.Context, string) ([]sidetree.AnchoredOperation, uint64, error) {
	return nil, 0, nil
}

// Key is a generated key with its DID URL.
type Key struct {
	Signer  *credential.Signer
	Private crypto.PrivateKey
}

// Method describes a verification method to put in a generated document.
type Method struct {
	Fragment      string // e.g. "key-1"
	Alg           string
	Relationships []string // default assertionMethod and authentication
	// Key, when set, is published instead of a new key (to publish someone else's key).
	Key crypto.PublicKey
}

// WebDID publishes a did:web document with the methods at the path segments and returns a signer per
// method (keyed by fragment). cacheControl is sent with the document.
func (e *Env) WebDID(t testing.TB, methods []Method, path ...string) (string, map[string]*credential.Signer) {
	t.Helper()
	return e.WebDIDWithServices(t, methods, nil, path...)
}

// WebDIDWithServices is WebDID with service entries in the document.
func (e *Env) WebDIDWithServices(t testing.TB, methods []Method, services []map[string]any, path ...string) (string, map[string]*credential.Signer) {
	t.Helper()
	did := e.Server.DID(path...)
	doc, signers := Document(t, did, methods, services)
	e.Server.PublishDocument(did, doc, "max-age=3600")
	return did, signers
}

// WebIssuer publishes a did:web DID with one key for alg and returns its signer.
func (e *Env) WebIssuer(t testing.TB, alg string, path ...string) *credential.Signer {
	t.Helper()
	_, s := e.WebDID(t, []Method{{Fragment: "key-1", Alg: alg}}, path...)
	return s["key-1"]
}

// Document builds a DID document with new keys, with relative ids and an @base as ION writes them.
func Document(t testing.TB, did string, methods []Method, services []map[string]any) ([]byte, map[string]*credential.Signer) {
	t.Helper()
	signers := map[string]*credential.Signer{}
	var vms []map[string]any
	rels := map[string][]string{}
	for _, m := range methods {
		priv, err := credential.GenerateKey(m.Alg)
		if err != nil {
			t.Fatal(err)
		}
		s, err := credential.NewSigner(did+"#"+m.Fragment, priv)
		if err != nil {
			t.Fatal(err)
		}
		signers[m.Fragment] = s
		pub := m.Key
		if pub == nil {
			pub = s.Public()
		}
		jwk, err := resolver.MarshalJWK(pub)
		if err != nil {
			t.Fatal(err)
		}
		vms = append(vms, map[string]any{"id": "#" + m.Fragment, "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": json.RawMessage(jwk)})
		r := m.Relationships
		if r == nil {
			r = []string{resolver.AssertionMethod, resolver.Authentication}
		}
		for _, rel := range r {
			rels[rel] = append(rels[rel], "#"+m.Fragment)
		}
	}
	doc := map[string]any{"@context": []any{"https://www.w3.org/ns/did/v1", map[string]string{"@base": did}}, "id": did, "verificationMethod": vms}
	for rel, ids := range rels {
		doc[rel] = ids
	}
	if len(services) > 0 {
		doc["service"] = services
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b, signers
}

// KeyDID makes a did:key signer (its method id is did:key:z…#z…).
func KeyDID(t testing.TB, alg string) *credential.Signer {
	t.Helper()
	priv, err := credential.GenerateKey(alg)
	if err != nil {
		t.Fatal(err)
	}
	tmp, _ := credential.NewSigner("did:key:x#x", priv)
	did, err := key.DIDKey(tmp.Public())
	if err != nil {
		t.Fatal(err)
	}
	s, err := credential.NewSigner(did+"#"+did[len("did:key:"):], priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// IONDID makes a long-form did:ion (regtest) with one signing key for alg (ES256K or EdDSA) in
// assertionMethod and authentication, and returns its signer.
func (e *Env) IONDID(t testing.TB, alg string) *credential.Signer {
	t.Helper()
	priv, err := credential.GenerateKey(alg)
	if err != nil {
		t.Fatal(err)
	}
	tmp, _ := credential.NewSigner("did:ion:x#x", priv)
	jwkBytes, err := resolver.MarshalJWK(tmp.Public())
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := sidetree.ParseJSON(jwkBytes)
	if err != nil {
		t.Fatal(err)
	}
	recovery, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	update, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	typ := "EcdsaSecp256k1VerificationKey2019"
	if alg == credential.EdDSA {
		typ = "JsonWebKey2020"
	}
	req, err := sidetree.NewCreateRequest(e.Network.Method, recovery, update, sidetree.Document{PublicKeys: []sidetree.PublicKey{{
		ID: "key-1", Type: typ, JWK: jwk, Purposes: []string{"assertionMethod", "authentication"},
	}}}, e.Network.Latest())
	if err != nil {
		t.Fatal(fmt.Errorf("create did:ion: %w", err))
	}
	s, err := credential.NewSigner(req.LongForm+"#key-1", priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
