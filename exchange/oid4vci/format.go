package oid4vci

import (
	"context"
	"crypto"

	"github.com/ionode/ionode/credential"
)

// Issuance is one credential to sign.
type Issuance struct {
	ConfigurationID string
	Configuration   *Configuration
	// Holder is the DID the credential is bound to (credentialSubject.id).
	Holder string
	// HolderKID is the proof's DID URL kid, or "" when the proof carried a bare jwk (HolderKey); formats
	// that bind to a key (dc+sd-jwt's cnf) use them.
	HolderKID string
	HolderKey crypto.PublicKey
	// Claims are the subject's claims from the offer.
	Claims map[string]any
	// Status is the credential's status-list entry, or nil.
	Status *credential.Status
}

// Format signs credentials of one format (jwt_vc_json, dc+sd-jwt …) and describes them in the metadata.
type Format interface {
	// Validate checks a configuration of this format when the issuer starts.
	Validate(c *Configuration) error
	// Metadata adds the format's members (credential_definition, vct, signing algorithms …) to a
	// configuration's metadata object.
	Metadata(c *Configuration, m map[string]any)
	// Issue signs a credential.
	Issue(ctx context.Context, in Issuance) (string, error)
}

// StatusLister is a Format whose credentials take their status entries from a list of their own (e.g.
// dc+sd-jwt's IETF Token Status List) instead of the issuer's StatusList.
type StatusLister interface {
	StatusListID() string
}

// statusList is the list a format's credentials get their entries from.
func (i *Issuer) statusList(f Format) string {
	if l, ok := f.(StatusLister); ok && l.StatusListID() != "" {
		return l.StatusListID()
	}
	return i.StatusList
}
