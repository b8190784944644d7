package oid4vp

import (
	"fmt"
	"strconv"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/dcql"
)

// FormatJWTVC is the OpenID4VP credential format identifier of VC-JWTs (VCDM 1.1 JWT encoding).
const FormatJWTVC = "jwt_vc_json"

// BuildDCQL turns the Request Service API's requestedCredentials (and ionode.credentialSets) into a
// DCQL query: query i asks for requested credential i, under its id or "credential_<i>". The query is
// checked by exchange/dcql's rules (unique ids, sets naming existing ids, claim sets naming claims,
// values), so a request the verifier would build but not evaluate is refused when it is created.
func BuildDCQL(requested []exchange.RequestedCredential, sets []dcql.CredentialSet) (dcql.Query, error) {
	q := dcql.Query{Credentials: make([]dcql.CredentialQuery, len(requested)), CredentialSets: sets}
	for i, rc := range requested {
		c := dcql.CredentialQuery{ID: rc.ID, Format: FormatJWTVC, Multiple: rc.Multiple, Meta: dcql.Meta{TypeValues: [][]string{{rc.Type}}}, ClaimSets: rc.ClaimSets}
		if c.ID == "" {
			c.ID = queryID(i)
		}
		if rc.Format == FormatSDJWT {
			c.Format, c.Meta = FormatSDJWT, dcql.Meta{VCTValues: []string{rc.Type}}
		}
		for k, cr := range rc.Claims {
			p, err := dcql.ParseClaimsPath(cr.Path)
			if err != nil {
				return dcql.Query{}, exchange.BadField(fmt.Sprintf("requestedCredentials[%d].claims[%d].path", i, k), "%v", err)
			}
			c.Claims = append(c.Claims, dcql.ClaimsQuery{ID: cr.ID, Path: p, Values: cr.Values})
		}
		q.Credentials[i] = c
	}
	if err := q.Validate(); err != nil {
		return dcql.Query{}, exchange.BadField("requestedCredentials", "%v", err)
	}
	return q, nil
}

func queryID(i int) string { return "credential_" + strconv.Itoa(i) }

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
