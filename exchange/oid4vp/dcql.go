package oid4vp

import (
	"fmt"
	"strconv"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/dcql"
)

// FormatJWTVC is the OpenID4VP credential format identifier of VC-JWTs (VCDM 1.1 JWT encoding).
const FormatJWTVC = "jwt_vc_json"

// BuildDCQL turns the Request Service API's requestedCredentials into a DCQL query: query i asks for
// requested credential i.
func BuildDCQL(requested []exchange.RequestedCredential) dcql.Query {
	q := dcql.Query{Credentials: make([]dcql.CredentialQuery, len(requested))}
	for i, rc := range requested {
		if rc.Format == FormatSDJWT {
			q.Credentials[i] = sdjwtQuery(queryID(i), rc)
			continue
		}
		q.Credentials[i] = dcql.CredentialQuery{ID: queryID(i), Format: FormatJWTVC, Meta: dcql.Meta{TypeValues: [][]string{{rc.Type}}}}
	}
	return q
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
