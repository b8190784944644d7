package oid4vp

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/ionode/ionode/exchange"
)

// FormatJWTVC is the OpenID4VP credential format identifier of VC-JWTs (VCDM 1.1 JWT encoding).
const FormatJWTVC = "jwt_vc_json"

// DCQLQuery is a Digital Credentials Query Language query (OpenID4VP 1.0 §6), the subset this
// verifier asks with: credential queries by format and type.
type DCQLQuery struct {
	Credentials []CredentialQuery `json:"credentials"`
}

// CredentialQuery asks for one credential.
type CredentialQuery struct {
	ID     string         `json:"id"`
	Format string         `json:"format"`
	Meta   CredentialMeta `json:"meta"`
	Claims []ClaimsQuery  `json:"claims,omitempty"`
}

// CredentialMeta constrains W3C VCs: the credential's type must include every type of one of the
// inner arrays (OpenID4VP 1.0 Appendix B.1); and SD-JWT VCs: vct must be one of VCTValues (B.3).
type CredentialMeta struct {
	TypeValues [][]string `json:"type_values,omitempty"`
	VCTValues  []string   `json:"vct_values,omitempty"`
}

// BuildDCQL turns the Request Service API's requestedCredentials into a DCQL query: query i asks for
// requested credential i.
func BuildDCQL(requested []exchange.RequestedCredential) DCQLQuery {
	q := DCQLQuery{Credentials: make([]CredentialQuery, len(requested))}
	for i, rc := range requested {
		if rc.Format == FormatSDJWT {
			q.Credentials[i] = sdjwtQuery(queryID(i), rc)
			continue
		}
		q.Credentials[i] = CredentialQuery{ID: queryID(i), Format: FormatJWTVC, Meta: CredentialMeta{TypeValues: [][]string{{rc.Type}}}}
	}
	return q
}

func queryID(i int) string { return "credential_" + strconv.Itoa(i) }

// matchTypes reports whether types satisfies meta.
func (m CredentialMeta) matchTypes(types []string) bool {
	for _, set := range m.TypeValues {
		ok := true
		for _, t := range set {
			if !slices.Contains(types, t) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return len(m.TypeValues) == 0
}

// checkRequested validates the relying party's requestedCredentials.
func checkRequested(requested []exchange.RequestedCredential) error {
	if len(requested) == 0 {
		return exchange.BadField("requestedCredentials", "at least one credential must be requested")
	}
	if len(requested) > MaxPresentations {
		return exchange.BadField("requestedCredentials", "at most %d credentials", MaxPresentations)
	}
	for i, rc := range requested {
		if rc.Type == "" || len(rc.Type) > 256 {
			return exchange.BadField(fmt.Sprintf("requestedCredentials[%d].type", i), "a type of 1-256 characters is required")
		}
		if err := checkFormat(i, rc); err != nil {
			return err
		}
		if len(rc.AcceptedIssuers) > 64 {
			return exchange.BadField(fmt.Sprintf("requestedCredentials[%d].acceptedIssuers", i), "at most 64 issuers")
		}
	}
	return nil
}
