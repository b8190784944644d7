package oid4vp

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/exchange/presex"
	"github.com/ionode/ionode/internal/jsonlimit"
)

// Values of createPresentationRequest's ionode.query (ionode's extension).
const (
	// QueryDCQL asks with a DCQL query in an OpenID4VP 1.0 request (the default).
	QueryDCQL = "dcql"
	// QueryPresentationDefinition asks with a DIF Presentation Exchange v2 presentation_definition in a
	// draft-era request (OpenID4VP drafts up to 21: client_id is the bare DID with client_id_scheme=did,
	// client_metadata.vp_formats), answered with a presentation_submission beside the vp_token.
	QueryPresentationDefinition = "presentation_definition"
)

// Failure codes of a response to a presentation definition.
const (
	// CodeSubmission: the presentation_submission is missing, malformed, or does not lead from the
	// definition to the presented credentials.
	CodeSubmission = "invalid_presentation_submission"
	// CodeRequirements: the credentials submitted do not meet the definition's submission
	// requirements (too few, or more than a pick allows).
	CodeRequirements = "submission_requirements_not_met"
)

// algorithms are the signature algorithms the verifier accepts in presentations and credentials.
var algorithms = []string{"ES256K", "EdDSA", "ES256"}

// usesDefinition reports whether the relying party chose a presentation definition.
func usesDefinition(pr exchange.PresentationRequest) (bool, error) {
	if pr.Extensions == nil {
		return false, nil
	}
	switch pr.Extensions.Query {
	case "", QueryDCQL:
		if len(pr.Extensions.SubmissionRequirements) > 0 {
			return false, exchange.BadField("ionode.submissionRequirements", "submission requirements need ionode.query %q", QueryPresentationDefinition)
		}
		return false, nil
	case QueryPresentationDefinition:
		if len(pr.Extensions.CredentialSets) > 0 {
			return false, exchange.BadField("ionode.credentialSets", "credential sets need ionode.query %q (a presentation definition has ionode.submissionRequirements)", QueryDCQL)
		}
		return true, nil
	}
	return false, exchange.BadField("ionode.query", "%q or %q", QueryDCQL, QueryPresentationDefinition)
}

// buildDefinition asks for the requested credentials with input descriptor i for requested credential i.
func buildDefinition(pr exchange.PresentationRequest) (*presex.Definition, error) {
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return nil, fmt.Errorf("presentation definition id: %w", err)
	}
	reqs := make([]presex.Requirement, len(pr.RequestedCredentials))
	for i, rc := range pr.RequestedCredentials {
		// The draft-era path asks for VC-JWTs only: an SD-JWT VC it would silently ask for as one is refused.
		if rc.Format != "" && rc.Format != FormatJWTVC {
			return nil, exchange.BadField("requestedCredentials.format", "ionode.query %q asks for %s credentials only", QueryPresentationDefinition, FormatJWTVC)
		}
		// DCQL's own features have no presentation definition equivalent here: refused, not dropped.
		if len(rc.Claims) > 0 || len(rc.ClaimSets) > 0 || rc.Multiple || rc.ID != "" {
			return nil, exchange.BadField(fmt.Sprintf("requestedCredentials[%d]", i), "id, claims, claimSets and multiple need ionode.query %q", QueryDCQL)
		}
		reqs[i] = presex.Requirement{Type: rc.Type, Purpose: rc.Purpose, Issuers: rc.AcceptedIssuers, Group: rc.Group}
	}
	d := presex.Build(hex.EncodeToString(id), pr.Registration.Purpose, algorithms, reqs)
	d.SubmissionRequirements = pr.Extensions.SubmissionRequirements
	if err := d.Validate(); err != nil {
		var de *presex.DefinitionError
		if errors.As(err, &de) {
			return nil, exchange.BadField("ionode.submissionRequirements", "%s: %s: %s", de.Code, de.At, de.Reason)
		}
		return nil, err
	}
	return &d, nil
}

// clientID is the client_id of the request: the prefixed DID in 1.0, the bare DID in draft-era requests.
func (s *spec) clientID(v *Verifier) string {
	if s.Definition != nil {
		return v.Signer.DID()
	}
	return v.ClientID()
}

// requestClaims finishes the request object's claims for the way the wallet is asked.
func (s *spec) requestClaims(v *Verifier, claims map[string]any) map[string]any {
	if s.Definition == nil {
		return claims
	}
	delete(claims, "dcql_query")
	formats := map[string]any{}
	for _, f := range []string{presex.FormatJWTVPJSON, presex.FormatJWTVCJSON, presex.FormatJWTVP, presex.FormatJWTVC} {
		formats[f] = map[string]any{"alg": algorithms}
	}
	claims["client_id"] = s.clientID(v)
	claims["client_id_scheme"] = "did"
	claims["presentation_definition"] = s.Definition
	// The drafts name the formats vp_formats (1.0: vp_formats_supported, with other members).
	claims["client_metadata"] = map[string]any{"client_name": s.Request.Registration.ClientName, "vp_formats": formats}
	return claims
}

// verifySubmission checks a response to a presentation definition: the submission leads to a credential
// for each input descriptor, every presentation it names is verified once (check), and each credential
// is matched to its requested credential and the descriptor's constraints on its verified claims.
func (v *Verifier) verifySubmission(ctx context.Context, s *spec, resp Response, check func(vp string) (*credential.Result, *WalletError), rec *revocations, ev *exchange.Event) *WalletError {
	if resp.PresentationSubmission == "" {
		return walletErr(CodeSubmission, "presentation_submission is required: the request asked with a presentation definition")
	}
	sub, err := presex.ParseSubmission([]byte(resp.PresentationSubmission))
	if err != nil {
		return walletErr(CodeSubmission, "%v", err)
	}
	token, err := parsePresentations(resp.VPToken)
	if err != nil {
		return walletErr(CodeMalformed, "%v", err)
	}
	matches, err := presex.Select(s.Definition, sub, token, jwtClaims)
	switch {
	case errors.Is(err, presex.ErrUnanswered):
		return walletErr(CodeUnanswered, "%v", err)
	case errors.Is(err, presex.ErrRequirement):
		return walletErr(CodeRequirements, "%v", err)
	case err != nil:
		return walletErr(CodeSubmission, "%v", err)
	}
	verified := map[string]*credential.Result{}
	for _, m := range matches {
		res, ok := verified[m.Presentation]
		if !ok {
			var werr *WalletError
			if res, werr = check(m.Presentation); werr != nil {
				return werr
			}
			verified[m.Presentation] = res
		}
		cr, werr := credentialIn(res, m)
		if werr != nil {
			return werr
		}
		rc := s.Request.RequestedCredentials[m.Descriptor]
		q := dcql.CredentialQuery{ID: m.DescriptorID, Format: FormatJWTVC, Meta: dcql.Meta{TypeValues: [][]string{{rc.Type}}}}
		data, werr := matchCredential(q, rc, cr, rec)
		if werr != nil {
			return werr
		}
		claims, err := verifiedClaims(cr)
		if err != nil {
			return walletErr(CodeSubmission, "credential for %s: %v", m.DescriptorID, err)
		}
		if err := s.Definition.InputDescriptors[m.Descriptor].Constraints.Check(claims); err != nil {
			return walletErr(CodeSubmission, "%s: %v", m.DescriptorID, err)
		}
		if werr := v.validateDomain(ctx, rc, cr.IssuerResolution, &data); werr != nil {
			return werr
		}
		ev.VerifiedCredentialsData = append(ev.VerifiedCredentialsData, data)
	}
	return nil
}

// verifiedClaims is the credential as verified, for the definition's constraints: its claims with the
// verified issuer and types (a VC-JWT keeps the issuer in iss, outside the vc claim).
func verifiedClaims(cr *credential.VerifiedCredential) (map[string]any, error) {
	var claims map[string]any
	if err := json.Unmarshal(cr.Claims, &claims); err != nil {
		return nil, err
	}
	types := make([]any, len(cr.Types))
	for i, t := range cr.Types {
		types[i] = t
	}
	claims["issuer"], claims["type"] = cr.Issuer, types
	return claims, nil
}

// credentialIn finds the verified credential of res that the match names: the presentation's
// verifiableCredential entries are verified in order, so its position among them is the result's.
func credentialIn(res *credential.Result, m presex.Match) (*credential.VerifiedCredential, *WalletError) {
	claims, err := jwtClaims(m.Presentation)
	if err != nil {
		return nil, walletErr(CodeMalformed, "%v", err)
	}
	vp, _ := claims["vp"].(map[string]any)
	list, _ := vp["verifiableCredential"].([]any)
	for i, c := range list {
		if c == m.CredentialJWT && i < len(res.Credentials) {
			return res.Credentials[i].Credential, nil
		}
	}
	return nil, walletErr(CodeSubmission, "%s: the credential is not one of the presentation's own", m.DescriptorID)
}

// parsePresentations reads a draft-era vp_token: one VP-JWT, or a JSON array of them.
func parsePresentations(s string) (any, error) {
	if len(s) > MaxResponseBytes {
		return nil, fmt.Errorf("%w: vp_token over %d bytes", ErrMalformed, MaxResponseBytes)
	}
	if !strings.HasPrefix(strings.TrimSpace(s), "[") {
		if strings.Count(s, ".") != 2 || strings.ContainsFunc(s, notCompact) {
			return nil, fmt.Errorf("%w: vp_token is neither a JWT nor an array", ErrMalformed)
		}
		return s, nil
	}
	var list []string
	if err := checkDepth([]byte(s), 1); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return nil, fmt.Errorf("%w: vp_token is not an array of JWTs: %v", ErrMalformed, err)
	}
	if len(list) == 0 || len(list) > MaxPresentations {
		return nil, fmt.Errorf("%w: vp_token needs 1-%d presentations", ErrMalformed, MaxPresentations)
	}
	out := make([]any, len(list))
	for i, vp := range list {
		out[i] = vp
	}
	return out, nil
}

// notCompact reports a character that cannot be in a compact JWS (base64url parts and dots).
func notCompact(r rune) bool {
	return !(r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
}

// maxClaimsDepth bounds the nesting of a JWT's claims met while following a submission.
const maxClaimsDepth = 16

// jwtClaims decodes a JWT's claims through the credential package's JWS parser, without checking the
// signature: the presentations are verified after the submission has been followed.
func jwtClaims(jwt string) (map[string]any, error) {
	j, err := credential.ParseJWS(jwt, nil)
	if err != nil {
		return nil, err
	}
	if jsonlimit.Depth(j.Payload()) > maxClaimsDepth {
		return nil, fmt.Errorf("%w: claims nested deeper than %d", ErrMalformed, maxClaimsDepth)
	}
	var claims map[string]any
	if err := json.Unmarshal(j.Payload(), &claims); err != nil {
		return nil, fmt.Errorf("%w: claims: %v", ErrMalformed, err)
	}
	return claims, nil
}
