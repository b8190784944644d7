package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/ionode/ionode/bench/internal/benchnode"
	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/node/daemon"
	"github.com/ionode/ionode/sidetree"
)

// credentialType is the one configuration the node offers: a credential with a status-list entry.
const credentialType = "Badge"

// exchangeNode is the node under test and what the load generator must know about it.
type exchangeNode struct {
	*benchnode.Node
	IssuerDID  string
	AdminToken string
	Signer     *credential.Signer // the issuer's key, for the signing limit measured beside the exchanges
}

// startNode starts node/daemon as `ionode serve` runs it, issuing and verifying with one ES256K key of a
// long-form did:ion (resolved by the node itself from its store, which holds no operations for it), with
// the OpenID4VCI issuer, the OpenID4VP verifier and relying-party callbacks to loopback (the load
// generator is the relying party).
func startNode(ctx context.Context, dir string, log *slog.Logger) (*exchangeNode, error) {
	docKey, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		return nil, err
	}
	recovery, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		return nil, err
	}
	update, err := sidetree.GenerateES256K(rand.Reader)
	if err != nil {
		return nil, err
	}
	network := sidetree.Regtest()
	create, err := sidetree.NewCreateRequest(network.Method, recovery, update, sidetree.Document{PublicKeys: []sidetree.PublicKey{{
		ID: "key-1", Type: "EcdsaSecp256k1VerificationKey2019", JWK: docKey.Public().Value(),
		Purposes: []string{sidetree.PurposeAssertionMethod, sidetree.PurposeAuthentication},
	}}}, network.Latest())
	if err != nil {
		return nil, fmt.Errorf("issuer DID: %w", err)
	}
	kid := create.LongForm + "#key-1"
	keyJSON, err := json.Marshal(docKey)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	keyFile := filepath.Join(dir, "issuer.jwk")
	if err := os.WriteFile(keyFile, keyJSON, 0o600); err != nil {
		return nil, err
	}
	priv, err := credential.ParsePrivateJWK(keyJSON)
	if err != nil {
		return nil, err
	}
	signer, err := credential.NewSigner(kid, priv)
	if err != nil {
		return nil, err
	}
	offers := filepath.Join(dir, "offers.json")
	cfgJSON := `{"credential_configurations":{"` + credentialType + `":{"format":"jwt_vc_json","types":["` + credentialType + `"],"status":true}}}`
	if err := os.WriteFile(offers, []byte(cfgJSON), 0o600); err != nil {
		return nil, err
	}
	var token [16]byte
	_, _ = rand.Read(token[:])
	admin := hex.EncodeToString(token[:])
	n, err := benchnode.Serve(ctx, dir, benchnode.Options{Logger: log, Configure: func(cfg *daemon.Config) {
		c := &cfg.Credentials
		c.AdminTokenHashes = []string{httpapi.HashToken(admin)}
		c.IssuerKeyFile, c.IssuerKID = keyFile, kid
		c.VerifierKeyFile, c.VerifierKID = keyFile, kid
		c.OID4VCIConfigFile = offers
		c.CallbackAllowLoopback = true // the relying party is the load generator, on loopback
	}})
	if err != nil {
		return nil, err
	}
	return &exchangeNode{Node: n, IssuerDID: signer.DID(), AdminToken: admin, Signer: signer}, nil
}
