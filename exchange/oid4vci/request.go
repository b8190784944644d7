package oid4vci

import (
	"bytes"
	"encoding/json"

	"github.com/ionode/ionode/internal/jsonlimit"
)

// Bounds on wallet input: a credential request with one proof JWT is well under 16 KiB.
const (
	MaxBodySize  = 64 << 10
	maxJSONDepth = 16
)

// CredentialRequest is a parsed credential request with its one jwt proof.
type CredentialRequest struct {
	ConfigurationID string
	ProofJWT        string
}

// ParseCredentialRequest parses a credential request body (OpenID4VCI 1.0 `proofs`, or the drafts'
// single `proof`). It accepts exactly one proof, of type jwt.
func ParseCredentialRequest(body []byte) (*CredentialRequest, error) {
	if err := checkJSON(body); err != nil {
		return nil, err
	}
	var raw struct {
		ConfigurationID      string `json:"credential_configuration_id"`
		CredentialIdentifier string `json:"credential_identifier"`
		Proof                *struct {
			ProofType string `json:"proof_type"`
			JWT       string `json:"jwt"`
		} `json:"proof"`
		Proofs map[string]json.RawMessage `json:"proofs"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, errorf(CodeInvalidCredentialRequest, "credential request: %v", err)
	}
	if raw.CredentialIdentifier != "" {
		return nil, errorf(CodeInvalidCredentialRequest, "credential_identifier is not supported: send credential_configuration_id")
	}
	if raw.ConfigurationID == "" {
		return nil, errorf(CodeInvalidCredentialRequest, "credential_configuration_id is missing")
	}
	out := &CredentialRequest{ConfigurationID: raw.ConfigurationID}
	switch {
	case raw.Proof != nil && raw.Proofs != nil:
		return nil, errorf(CodeInvalidCredentialRequest, "send proof or proofs, not both")
	case raw.Proof != nil:
		if raw.Proof.ProofType != "jwt" {
			return nil, errorf(CodeInvalidProof, "proof_type %q: only jwt is supported", trunc(raw.Proof.ProofType))
		}
		out.ProofJWT = raw.Proof.JWT
	case raw.Proofs != nil:
		if len(raw.Proofs) != 1 || raw.Proofs["jwt"] == nil {
			return nil, errorf(CodeInvalidProof, "proofs must hold jwt proofs only")
		}
		var jwts []string
		if err := json.Unmarshal(raw.Proofs["jwt"], &jwts); err != nil {
			return nil, errorf(CodeInvalidProof, "proofs.jwt must be an array of strings")
		}
		if len(jwts) != 1 {
			return nil, errorf(CodeInvalidProof, "send exactly one proof (batch issuance is not supported)")
		}
		out.ProofJWT = jwts[0]
	default:
		return nil, errorf(CodeInvalidProof, "the request has no proof of possession")
	}
	if out.ProofJWT == "" {
		return nil, errorf(CodeInvalidProof, "the proof jwt is empty")
	}
	return out, nil
}

// checkJSON bounds a JSON body's size and nesting depth before it is decoded.
func checkJSON(body []byte) error {
	if err := jsonlimit.Check(body, MaxBodySize, maxJSONDepth); err != nil {
		return errorf(CodeInvalidRequest, "body: %w", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return errorf(CodeInvalidRequest, "empty body")
	}
	return nil
}
