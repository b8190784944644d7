package resolver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Result is a resolved DID: its document and document metadata. Results may be shared by caches: treat
// them as read-only.
type Result struct {
	Document *Document
	Metadata DocumentMetadata
}

// DocumentMetadata is the part of DID document metadata a verifier uses; Raw keeps all of it.
type DocumentMetadata struct {
	Deactivated  bool     `json:"deactivated,omitempty"`
	CanonicalID  string   `json:"canonicalId,omitempty"`
	EquivalentID []string `json:"equivalentId,omitempty"`
	// Raw is the metadata object as the method returned it (nil when the method has none).
	Raw json.RawMessage `json:"-"`
}

// Document is a DID document. Raw keeps the document as resolved, byte for byte.
type Document struct {
	ID                   string               `json:"id"`
	Controller           json.RawMessage      `json:"controller,omitempty"`
	AlsoKnownAs          []string             `json:"alsoKnownAs,omitempty"`
	VerificationMethod   []VerificationMethod `json:"verificationMethod,omitempty"`
	Authentication       []Relationship       `json:"authentication,omitempty"`
	AssertionMethod      []Relationship       `json:"assertionMethod,omitempty"`
	KeyAgreement         []Relationship       `json:"keyAgreement,omitempty"`
	CapabilityInvocation []Relationship       `json:"capabilityInvocation,omitempty"`
	CapabilityDelegation []Relationship       `json:"capabilityDelegation,omitempty"`
	Service              []Service            `json:"service,omitempty"`

	Raw json.RawMessage `json:"-"`
}

// VerificationMethod is one key of a document. ID may be relative ("#key-1") as ION writes it; use
// Document.AbsoluteID.
type VerificationMethod struct {
	ID                 string          `json:"id"`
	Type               string          `json:"type"`
	Controller         string          `json:"controller,omitempty"`
	PublicKeyJwk       json.RawMessage `json:"publicKeyJwk,omitempty"`
	PublicKeyMultibase string          `json:"publicKeyMultibase,omitempty"`
	PublicKeyBase58    string          `json:"publicKeyBase58,omitempty"`
}

// Relationship is one entry of a verification relationship: a reference to a verification method (a DID
// URL, possibly relative) or an embedded method.
type Relationship struct {
	Ref      string
	Embedded *VerificationMethod
}

// UnmarshalJSON accepts a string or an object.
func (r *Relationship) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		return json.Unmarshal(data, &r.Ref)
	}
	var vm VerificationMethod
	if err := json.Unmarshal(data, &vm); err != nil {
		return err
	}
	r.Embedded = &vm
	return nil
}

// MarshalJSON writes the reference or the embedded method.
func (r Relationship) MarshalJSON() ([]byte, error) {
	if r.Embedded != nil {
		return json.Marshal(r.Embedded)
	}
	return json.Marshal(r.Ref)
}

// Service is a service endpoint entry. Type may be a string or a set of strings; ServiceEndpoint is kept
// as JSON (a URL string, a map or a set).
type Service struct {
	ID              string          `json:"id"`
	Type            json.RawMessage `json:"type"`
	ServiceEndpoint json.RawMessage `json:"serviceEndpoint"`
}

// HasType reports whether the service's type is t or a set containing t.
func (s Service) HasType(t string) bool {
	var one string
	if json.Unmarshal(s.Type, &one) == nil {
		return one == t
	}
	var many []string
	if json.Unmarshal(s.Type, &many) == nil {
		for _, m := range many {
			if m == t {
				return true
			}
		}
	}
	return false
}

// Origins returns the URLs of a service endpoint: a string, {"origins": [...]} as DIF Linked Domains
// writes it, or a set of strings.
func (s Service) Origins() []string {
	var one string
	if json.Unmarshal(s.ServiceEndpoint, &one) == nil {
		return []string{one}
	}
	var many []string
	if json.Unmarshal(s.ServiceEndpoint, &many) == nil {
		return many
	}
	var obj struct {
		Origins []string `json:"origins"`
	}
	if json.Unmarshal(s.ServiceEndpoint, &obj) == nil {
		return obj.Origins
	}
	return nil
}

// ParseDocument parses a DID document, keeping its bytes.
func ParseDocument(data []byte) (*Document, error) {
	var d Document
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("parse DID document: %w", err)
	}
	if d.ID == "" {
		return nil, errors.New("parse DID document: no id")
	}
	d.Raw = append(json.RawMessage(nil), data...)
	return &d, nil
}

// Relationship names, as DID documents spell them.
const (
	Authentication       = "authentication"
	AssertionMethod      = "assertionMethod"
	KeyAgreement         = "keyAgreement"
	CapabilityInvocation = "capabilityInvocation"
	CapabilityDelegation = "capabilityDelegation"
)

// Errors of FindMethod, matched with errors.Is.
var (
	// ErrMethodNotFound: the document has no verification method with that id.
	ErrMethodNotFound = errors.New("verification method not found")
	// ErrNotAuthorized: the method exists but is not in the requested verification relationship.
	ErrNotAuthorized = errors.New("verification method not authorized for relationship")
)

// AbsoluteID resolves a verification method id against the document id: "#frag" becomes id+"#frag"; an
// id without a scheme is taken as a fragment of the document too.
func (d *Document) AbsoluteID(id string) string {
	switch {
	case strings.HasPrefix(id, "#"):
		return d.ID + id
	case strings.HasPrefix(id, "did:"):
		return id
	case id == "":
		return ""
	}
	return d.ID + "#" + id
}

func (d *Document) relationship(name string) ([]Relationship, bool) {
	switch name {
	case Authentication:
		return d.Authentication, true
	case AssertionMethod:
		return d.AssertionMethod, true
	case KeyAgreement:
		return d.KeyAgreement, true
	case CapabilityInvocation:
		return d.CapabilityInvocation, true
	case CapabilityDelegation:
		return d.CapabilityDelegation, true
	}
	return nil, false
}

// FindMethod returns the verification method a DID URL names, checking that it is authorized for the
// relationship (pass "" to skip that check). The URL may be relative ("#key-1"); an absolute URL must
// name this document's DID.
func (d *Document) FindMethod(didURL, relationship string) (*VerificationMethod, error) {
	want := d.AbsoluteID(didURL)
	did, _, _ := strings.Cut(want, "#")
	if did != d.ID {
		return nil, fmt.Errorf("%w: %q is not a method of %s", ErrMethodNotFound, didURL, d.ID)
	}
	var found *VerificationMethod
	for i := range d.VerificationMethod {
		if d.AbsoluteID(d.VerificationMethod[i].ID) == want {
			found = &d.VerificationMethod[i]
			break
		}
	}
	if relationship == "" {
		if found == nil {
			return nil, fmt.Errorf("%w: %s", ErrMethodNotFound, want)
		}
		return found, nil
	}
	rels, ok := d.relationship(relationship)
	if !ok {
		return nil, fmt.Errorf("unknown verification relationship %q", relationship)
	}
	for _, r := range rels {
		if r.Embedded != nil && d.AbsoluteID(r.Embedded.ID) == want {
			return r.Embedded, nil
		}
		if r.Ref != "" && found != nil && d.AbsoluteID(r.Ref) == want {
			return found, nil
		}
	}
	if found == nil {
		return nil, fmt.Errorf("%w: %s", ErrMethodNotFound, want)
	}
	return nil, fmt.Errorf("%w: %s is not in %s", ErrNotAuthorized, want, relationship)
}

// Methods returns the verification methods authorized for a relationship, in the document's order:
// referenced methods that exist in verificationMethod and embedded ones. A reference to a missing method
// is left out.
func (d *Document) Methods(relationship string) ([]*VerificationMethod, error) {
	rels, ok := d.relationship(relationship)
	if !ok {
		return nil, fmt.Errorf("unknown verification relationship %q", relationship)
	}
	out := make([]*VerificationMethod, 0, len(rels))
	for _, r := range rels {
		if r.Embedded != nil {
			out = append(out, r.Embedded)
			continue
		}
		want := d.AbsoluteID(r.Ref)
		for i := range d.VerificationMethod {
			if d.AbsoluteID(d.VerificationMethod[i].ID) == want {
				out = append(out, &d.VerificationMethod[i])
				break
			}
		}
	}
	return out, nil
}
