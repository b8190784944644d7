package gen

import (
	"crypto/rand"
	"fmt"
	"io"

	"github.com/ionode/ionode/sidetree"
)

// Keys are the keys every generated DID shares.
type Keys struct {
	Recovery, Update, NextUpdate, Document sidetree.JWK
	// NextRecovery is what recovers commit to as the next recovery key.
	NextRecovery sidetree.JWK
}

// NewKeys generates fresh keys from r (crypto/rand when nil).
func NewKeys(r io.Reader) (Keys, error) {
	if r == nil {
		r = rand.Reader
	}
	var k Keys
	for _, dst := range []*sidetree.JWK{&k.Recovery, &k.Update, &k.NextUpdate, &k.Document, &k.NextRecovery} {
		key, err := sidetree.GenerateES256K(r)
		if err != nil {
			return k, err
		}
		*dst = key
	}
	return k, nil
}

// Create is a create request and its DID suffix.
type Create struct {
	Request []byte
	Suffix  string
}

// Creates makes n create requests numbered from first: each DID has one verification key and one
// service whose endpoint carries its number.
func Creates(k Keys, first, n int, p sidetree.Parameters) ([]Create, error) {
	out := make([]Create, n)
	for i := range out {
		doc := sidetree.Document{
			PublicKeys: []sidetree.PublicKey{{ID: "key-1", Type: "EcdsaSecp256k1VerificationKey2019", JWK: k.Document.Public().Value(),
				Purposes: []string{"authentication", "assertionMethod"}}},
			Services: []sidetree.Service{{ID: "dwn", Type: "DecentralizedWebNode",
				Endpoint: sidetree.String(fmt.Sprintf("https://dwn.example.com/%d", first+i))}},
		}
		c, err := sidetree.NewCreateRequest("ion", k.Recovery, k.Update, doc, p)
		if err != nil {
			return nil, fmt.Errorf("create %d: %w", first+i, err)
		}
		out[i] = Create{Request: c.Body.Stringify(), Suffix: c.DIDSuffix}
	}
	return out, nil
}

// Updates makes one update request per suffix, each adding a service named after the DID's position,
// signed with the shared update key.
func Updates(k Keys, suffixes []string, p sidetree.Parameters) ([][]byte, error) {
	out := make([][]byte, len(suffixes))
	for i, s := range suffixes {
		u, err := sidetree.NewUpdateRequest(s, k.Update, k.NextUpdate, sidetree.UpdateChanges{
			AddServices: []sidetree.Service{{ID: "hub", Type: "LinkedDomains",
				Endpoint: sidetree.String(fmt.Sprintf("https://hub.example.com/%d", i))}},
		}, p)
		if err != nil {
			return nil, fmt.Errorf("update %s: %w", s, err)
		}
		out[i] = u.Stringify()
	}
	return out, nil
}

// UpdateChain makes len(keys)-1 successive updates of one DID: update i is signed with keys[i] and commits
// to keys[i+1], so all of them apply in order when the DID was created with keys[0] as its update key.
// Each adds a service and removes the one the previous update added, so the document keeps its size.
func UpdateChain(suffix string, keys []sidetree.JWK, p sidetree.Parameters) ([][]byte, error) {
	out := make([][]byte, 0, max(len(keys)-1, 0))
	for i := 0; i+1 < len(keys); i++ {
		changes := sidetree.UpdateChanges{AddServices: []sidetree.Service{{ID: fmt.Sprintf("svc-%d", i), Type: "LinkedDomains",
			Endpoint: sidetree.String(fmt.Sprintf("https://s%d.example.com", i))}}}
		if i > 0 {
			changes.RemoveServiceIDs = []string{fmt.Sprintf("svc-%d", i-1)}
		}
		u, err := sidetree.NewUpdateRequest(suffix, keys[i], keys[i+1], changes, p)
		if err != nil {
			return nil, fmt.Errorf("update %d of %s: %w", i, suffix, err)
		}
		out = append(out, u.Stringify())
	}
	return out, nil
}

// RecoveredEndpoint is the service endpoint a generated recover gives DID number n's new document.
func RecoveredEndpoint(n int) string { return fmt.Sprintf("https://recovered.example.com/%d", n) }

// Recovers makes one recover request per suffix, signed with the shared recovery key: each replaces the
// document by one whose single service carries RecoveredEndpoint(first+i), and commits to the next
// recovery and update keys.
func Recovers(k Keys, suffixes []string, first int, p sidetree.Parameters) ([][]byte, error) {
	out := make([][]byte, len(suffixes))
	for i, s := range suffixes {
		doc := sidetree.Document{
			PublicKeys: []sidetree.PublicKey{{ID: "key-2", Type: "EcdsaSecp256k1VerificationKey2019", JWK: k.Document.Public().Value(),
				Purposes: []string{"authentication"}}},
			Services: []sidetree.Service{{ID: "recovered", Type: "LinkedDomains", Endpoint: sidetree.String(RecoveredEndpoint(first + i))}},
		}
		r, err := sidetree.NewRecoverRequest(s, k.Recovery, k.NextRecovery, k.NextUpdate, doc, p)
		if err != nil {
			return nil, fmt.Errorf("recover %s: %w", s, err)
		}
		out[i] = r.Stringify()
	}
	return out, nil
}

// Deactivates makes one deactivate request per suffix, signed with the shared recovery key.
func Deactivates(k Keys, suffixes []string, p sidetree.Parameters) ([][]byte, error) {
	out := make([][]byte, len(suffixes))
	for i, s := range suffixes {
		d, err := sidetree.NewDeactivateRequest(s, k.Recovery, p)
		if err != nil {
			return nil, fmt.Errorf("deactivate %s: %w", s, err)
		}
		out[i] = d.Stringify()
	}
	return out, nil
}
