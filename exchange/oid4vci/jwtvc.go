package oid4vci

import (
	"context"
	"errors"
	"maps"
	"time"

	"github.com/ionode/ionode/credential"
)

// FormatJWTVCJSON is the OpenID4VCI format identifier of W3C VC-JWTs (VC Data Model 1.1 JWT encoding).
const FormatJWTVCJSON = "jwt_vc_json"

// JWTVC issues jwt_vc_json credentials with the node's credential issuer.
type JWTVC struct {
	Issuer *credential.Issuer
}

// Validate requires at least one type besides VerifiableCredential.
func (JWTVC) Validate(c *Configuration) error {
	if len(c.Types) == 0 {
		return errors.New("jwt_vc_json needs types (besides VerifiableCredential)")
	}
	return nil
}

// Metadata adds credential_definition and the issuer's signing algorithm.
func (f JWTVC) Metadata(c *Configuration, m map[string]any) {
	def := map[string]any{"type": append([]string{"VerifiableCredential"}, c.Types...)}
	if len(c.Contexts) > 0 {
		def["@context"] = append([]string{credential.ContextV1}, c.Contexts...)
	}
	m["credential_definition"] = def
	m["credential_signing_alg_values_supported"] = []string{f.Issuer.Signer.Alg}
}

// Issue signs the VC-JWT with the holder as subject.
func (f JWTVC) Issue(_ context.Context, in Issuance) (string, error) {
	subject := make(map[string]any, len(in.Claims)+1)
	maps.Copy(subject, in.Claims)
	subject["id"] = in.Holder
	c := credential.Claims{
		Format:   credential.FormatJWT,
		Types:    in.Configuration.Types,
		Contexts: in.Configuration.Contexts,
		Subject:  subject,
		Status:   in.Status,
	}
	if v := time.Duration(in.Configuration.Validity); v > 0 {
		now := time.Now()
		if f.Issuer.Now != nil {
			now = f.Issuer.Now()
		}
		c.ValidFrom = now.Truncate(time.Second)
		c.ValidUntil = c.ValidFrom.Add(v)
	}
	return f.Issuer.Issue(c)
}
