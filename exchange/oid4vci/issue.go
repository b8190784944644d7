package oid4vci

import (
	"context"
	"fmt"
	"slices"
)

// CredentialResponse is the credential endpoint's answer (OpenID4VCI 1.0).
type CredentialResponse struct {
	Credentials []IssuedCredential `json:"credentials"`
}

// IssuedCredential is one credential of a response.
type IssuedCredential struct {
	Credential string `json:"credential"`
}

// Credential answers a credential request made with an access token: it checks the proof, binds the
// credential to the proof's key and signs it. Each offered configuration is issued once per token.
func (i *Issuer) Credential(ctx context.Context, bearer string, body []byte) (*CredentialResponse, error) {
	if bearer == "" {
		return nil, errorf(CodeInvalidToken, "no access token")
	}
	id := secretID(prefixToken, bearer)
	var tok accessToken
	if _, ok, err := getRecord(ctx, i.Sessions, id, &tok); err != nil {
		return nil, err
	} else if !ok || !i.Now().Before(tok.Expires) {
		return nil, errorf(CodeInvalidToken, "the access token is unknown or expired")
	}
	resp, err := i.credential(ctx, id, &tok, body)
	if err != nil {
		i.failed(ctx, tok.RequestID, CodeOf(err), err.Error())
	}
	return resp, err
}

func (i *Issuer) credential(ctx context.Context, tokenID string, tok *accessToken, body []byte) (*CredentialResponse, error) {
	req, err := ParseCredentialRequest(body)
	if err != nil {
		return nil, err
	}
	cfg, ok := i.Config.Configurations[req.ConfigurationID]
	if !ok || !slices.Contains(tok.ConfigurationIDs, req.ConfigurationID) {
		return nil, errorf(CodeUnknownCredentialConfiguration, "configuration %q is not offered to this token", trunc(req.ConfigurationID))
	}
	if slices.Contains(tok.Issued, req.ConfigurationID) {
		return nil, errorf(CodeInvalidCredentialRequest, "configuration %s was already issued with this token", req.ConfigurationID)
	}
	holder, err := i.verifyProof(ctx, req.ProofJWT)
	if err != nil {
		return nil, err
	}
	if err := i.markIssued(ctx, tokenID, req.ConfigurationID); err != nil {
		return nil, err
	}
	in := Issuance{ConfigurationID: req.ConfigurationID, Configuration: cfg, Holder: holder.DID,
		HolderKID: holder.KID, HolderKey: holder.JWK, Claims: tok.Claims}
	if cfg.Status {
		st, err := i.Status.Allocate(ctx, i.statusList(i.Formats[cfg.Format]))
		if err != nil {
			return nil, fmt.Errorf("status entry: %w", err)
		}
		in.Status = &st
	}
	jwt, err := i.Formats[cfg.Format].Issue(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("issue %s: %w", req.ConfigurationID, err)
	}
	i.Logger.InfoContext(ctx, "oid4vci: credential issued", "configuration", req.ConfigurationID, "holder", holder.DID, "request_id", tok.RequestID)
	if tok.RequestID != "" && i.Events != nil {
		i.Events.Issued(ctx, tok.RequestID, req.ConfigurationID, holder.DID)
	}
	return &CredentialResponse{Credentials: []IssuedCredential{{Credential: jwt}}}, nil
}

// markIssued records the configuration as issued with the token, so that a second request fails.
func (i *Issuer) markIssued(ctx context.Context, tokenID, configID string) error {
	for range maxSwapRetries {
		var tok accessToken
		version, ok, err := getRecord(ctx, i.Sessions, tokenID, &tok)
		if err != nil {
			return err
		}
		if !ok {
			return errorf(CodeInvalidToken, "the access token expired")
		}
		if slices.Contains(tok.Issued, configID) {
			return errorf(CodeInvalidCredentialRequest, "configuration %s was already issued with this token", configID)
		}
		tok.Issued = append(tok.Issued, configID)
		swapped, err := i.Sessions.SwapSession(ctx, tokenID, version, marshalRecord(tok), tok.Expires)
		if err != nil {
			return err
		}
		if swapped {
			return nil
		}
	}
	return errorf(CodeInvalidCredentialRequest, "the access token is being used concurrently")
}
