//go:build cgo

package pkcs11_test

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/ionode/ionode/internal/softhsmtest"
	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/signer"
	"github.com/ionode/ionode/signer/pkcs11"
)

// TestDIDKeysInToken runs a DID's life with every operation key in the token: create commits to token
// keys, an update is signed by the token's update key and commits to the next one (also in the token), a
// recover is signed by the token's recovery key. sidetree's state machine, the one the node resolves
// with, must accept each operation.
func TestDIDKeysInToken(t *testing.T) {
	ctx := context.Background()
	cfg := softhsmtest.Token(t, "ionode", "unused")
	keys := map[string]pkcs11.Key{}
	for _, label := range []string{"did-recovery", "did-update", "did-update-2", "did-recovery-2", "did-update-3"} {
		c := cfg
		c.URI.Object = label
		k, err := pkcs11.Generate(ctx, c, signer.ES256K)
		if err != nil {
			t.Fatal(err)
		}
		defer k.Close()
		keys[label] = k
	}
	jwk := func(label string) sidetree.JWK { return signer.PublicJWK(keys[label].Public().(*secp256k1.PublicKey)) }
	ion := func(label string) sidetree.SigningKey {
		k, err := signer.ION(ctx, keys[label])
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	p := sidetree.Mainnet().Latest()
	docKey, _ := sidetree.GenerateEd25519(rand.Reader)
	doc := sidetree.Document{PublicKeys: []sidetree.PublicKey{{ID: "key-1", Type: "JsonWebKey2020", JWK: docKey.Public().Value(), Purposes: []string{sidetree.PurposeAssertionMethod}}}}
	create, err := sidetree.NewCreateRequest("ion", jwk("did-recovery"), jwk("did-update"), doc, p)
	if err != nil {
		t.Fatal(err)
	}
	newKey, _ := sidetree.GenerateEd25519(rand.Reader)
	update, err := sidetree.NewUpdateRequest(create.DIDSuffix, ion("did-update"), jwk("did-update-2"), sidetree.UpdateChanges{
		AddPublicKeys: []sidetree.PublicKey{{ID: "key-2", Type: "JsonWebKey2020", JWK: newKey.Public().Value(), Purposes: []string{sidetree.PurposeAssertionMethod}}},
	}, p)
	if err != nil {
		t.Fatal(err)
	}
	recoverDoc := sidetree.Document{PublicKeys: []sidetree.PublicKey{{ID: "key-3", Type: "JsonWebKey2020", JWK: newKey.Public().Value(), Purposes: []string{sidetree.PurposeAuthentication}}}}
	recovery, err := sidetree.NewRecoverRequest(create.DIDSuffix, ion("did-recovery"), jwk("did-recovery-2"), jwk("did-update-3"), recoverDoc, p)
	if err != nil {
		t.Fatal(err)
	}
	op := func(typ sidetree.OperationType, body sidetree.Value, n uint64) sidetree.AnchoredOperation {
		return sidetree.AnchoredOperation{Type: typ, DIDSuffix: create.DIDSuffix, Raw: body.Stringify(), TransactionNumber: n}
	}
	ops := []sidetree.AnchoredOperation{op(sidetree.OpCreate, create.Body, 1), op(sidetree.OpUpdate, update, 2)}
	state, err := sidetree.Resolve(ops)
	if err != nil || state == nil {
		t.Fatalf("resolve after update: %v", err)
	}
	if !strings.Contains(string(state.Document.Stringify()), `"key-2"`) || state.LastOperationTransaction != 2 {
		t.Fatalf("the update signed in the token was not applied: %s", state.Document.Stringify())
	}
	if state.NextUpdateCommitment != sidetree.CommitmentOf(jwk("did-update-2").Value()) {
		t.Fatal("the update does not commit to the token's next update key")
	}
	state, err = sidetree.Resolve(append(ops, op(sidetree.OpRecover, recovery, 3)))
	if err != nil || state == nil || state.LastOperationTransaction != 3 {
		t.Fatalf("resolve after recover: %v", err)
	}
	if s := string(state.Document.Stringify()); !strings.Contains(s, `"key-3"`) || strings.Contains(s, `"key-1"`) {
		t.Fatalf("the recover signed in the token was not applied: %s", s)
	}
	if state.NextRecoveryCommitment != sidetree.CommitmentOf(jwk("did-recovery-2").Value()) {
		t.Fatal("the recover does not commit to the token's next recovery key")
	}
	// An update signed by the wrong token key is built (its signature is valid) but does not apply.
	wrong, err := sidetree.NewUpdateRequest(create.DIDSuffix, ion("did-update-2"), jwk("did-update-3"), sidetree.UpdateChanges{RemoveKeyIDs: []string{"key-1"}}, p)
	if err != nil {
		t.Fatal(err)
	}
	state, _ = sidetree.Resolve([]sidetree.AnchoredOperation{op(sidetree.OpCreate, create.Body, 1), op(sidetree.OpUpdate, wrong, 2)})
	if state == nil || state.LastOperationTransaction != 1 {
		t.Fatal("an update by a key the DID does not commit to was applied")
	}
}
