package resolver_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"testing"

	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/ion"
	"github.com/ionode/ionode/resolver/key"
	"github.com/ionode/ionode/sidetree"
)

// emptyLog is an operation log that has seen no anchored operations: long-form DIDs resolve from their
// embedded state and short-form ones are not found.
type emptyLog struct{}

func (emptyLog) Operations(context.Context, string) ([]sidetree.AnchoredOperation, uint64, error) {
	return nil, 0, nil
}

func TestDispatcher(t *testing.T) {
	signing, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	recovery, _ := sidetree.GenerateES256K(rand.Reader)
	update, _ := sidetree.GenerateES256K(rand.Reader)
	net := sidetree.Regtest()
	req, err := sidetree.NewCreateRequest(net.Method, recovery, update, sidetree.Document{PublicKeys: []sidetree.PublicKey{{
		ID: "sign", Type: "EcdsaSecp256k1VerificationKey2019", JWK: signing.Public().Value(), Purposes: []string{"assertionMethod"},
	}}}, net.Latest())
	if err != nil {
		t.Fatal(err)
	}
	d := &resolver.Dispatcher{Methods: map[string]resolver.Method{
		"ion": resolver.ION(&ion.Resolver{Network: net, Log: emptyLog{}}),
		"key": key.Key{},
	}}
	ctx := context.Background()
	res, err := d.Resolve(ctx, req.LongForm)
	if err != nil {
		t.Fatal(err)
	}
	vm, err := res.Document.FindMethod(req.LongForm+"#sign", resolver.AssertionMethod)
	if err != nil {
		t.Fatalf("%v in %s", err, res.Document.Raw)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(signing.Public())
	got, _ := resolver.MarshalJWK(pub)
	var a, b map[string]string
	_ = json.Unmarshal(want, &a)
	_ = json.Unmarshal(got, &b)
	if a["x"] != b["x"] || a["y"] != b["y"] {
		t.Fatalf("key %s, want %s", got, want)
	}
	if len(res.Metadata.EquivalentID) == 0 {
		t.Fatalf("long-form metadata without equivalentId: %s", res.Metadata.Raw)
	}

	for _, tt := range []struct {
		did  string
		code resolver.Code
	}{
		{"did:" + net.Method + ":EiDahaOGH-liLLdDtTxEAdc8i-cfCz-WUcQdRJheMVNn3A", resolver.CodeNotFound},
		{"did:" + net.Method + ":EiDahaOGH-liLLdDtTxEAdc8i-cfCz-WUcQdRJheMVNn3A:not-base64-json!", resolver.CodeInvalidDID},
		{"did:example:123", resolver.CodeMethodNotSupported},
		{"not-a-did", resolver.CodeInvalidDID},
		{"did:key:zzz", resolver.CodeInvalidDID},
	} {
		_, err := d.Resolve(ctx, tt.did)
		if !errors.Is(err, &resolver.Error{Code: tt.code}) {
			t.Errorf("%s: %v, want %s", tt.did, err, tt.code)
		}
	}
}
