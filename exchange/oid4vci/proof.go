package oid4vci

import (
	"context"
	"crypto"
	"encoding/json"
	"strings"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/key"
)

// ProofType is the typ header of an OpenID4VCI key proof JWT.
const ProofType = "openid4vci-proof+jwt"

// proofClaims are the proof JWT's claims; aud may be a string or an array.
type proofClaims struct {
	Aud   json.RawMessage `json:"aud"`
	Iat   *float64        `json:"iat"`
	Nonce string          `json:"nonce"`
	Iss   string          `json:"iss"`
}

// proofHolder is who a verified proof speaks for: the holder's DID, and the key the credential is bound
// to: the proof's DID URL kid, or its bare jwk (then DID is did:jwk of it).
type proofHolder struct {
	DID string
	KID string
	JWK crypto.PublicKey
}

// verifyProof checks a proof of possession and consumes its nonce; it returns the holder.
func (i *Issuer) verifyProof(ctx context.Context, jwt string) (proofHolder, error) {
	jws, err := credential.ParseJWS(strings.TrimSpace(jwt), nil)
	if err != nil {
		return proofHolder{}, errorf(CodeInvalidProof, "proof: %w", err)
	}
	h := jws.Header()
	if h.Typ != ProofType {
		return proofHolder{}, errorf(CodeInvalidProof, "proof typ %q: want %s", trunc(h.Typ), ProofType)
	}
	jwk := jws.HeaderKey()
	var holder string
	var pub crypto.PublicKey
	switch {
	case h.Kid != "" && jwk != nil:
		return proofHolder{}, errorf(CodeInvalidProof, "proof has both kid and jwk")
	case jwk != nil:
		if holder, err = key.DIDJWK(jwk); err != nil {
			return proofHolder{}, errorf(CodeInvalidProof, "proof jwk: %w", err)
		}
		pub = jwk
	case strings.HasPrefix(h.Kid, "did:") && strings.Contains(h.Kid, "#"):
		holder, _ = resolver.SplitDIDURL(h.Kid)
		res, err := i.Holders.Resolve(ctx, holder)
		if err != nil {
			return proofHolder{}, errorf(CodeInvalidProof, "proof kid %s: %w", trunc(h.Kid), err)
		}
		vm, err := res.Document.FindMethod(h.Kid, resolver.Authentication)
		if err != nil {
			return proofHolder{}, errorf(CodeInvalidProof, "proof kid: %w", err)
		}
		if pub, err = vm.PublicKey(); err != nil {
			return proofHolder{}, errorf(CodeInvalidProof, "proof kid %s: %w", trunc(h.Kid), err)
		}
	default:
		return proofHolder{}, errorf(CodeInvalidProof, "proof needs a DID URL kid or a jwk header")
	}
	if err := jws.Verify(pub); err != nil {
		return proofHolder{}, errorf(CodeInvalidProof, "proof signature: %w", err)
	}
	var c proofClaims
	if err := json.Unmarshal(jws.Payload(), &c); err != nil {
		return proofHolder{}, errorf(CodeInvalidProof, "proof claims: %w", err)
	}
	if !audienceHas(c.Aud, i.URL) {
		return proofHolder{}, errorf(CodeInvalidProof, "proof aud is not %s", i.URL)
	}
	if c.Iat == nil {
		return proofHolder{}, errorf(CodeInvalidProof, "proof has no iat")
	}
	now := i.Now()
	iat := time.Unix(int64(*c.Iat), 0)
	if iat.Before(now.Add(-i.ProofMaxAge)) || iat.After(now.Add(time.Minute)) {
		return proofHolder{}, errorf(CodeInvalidProof, "proof iat %s is outside the accepted window", iat.UTC().Format(time.RFC3339))
	}
	// The nonce is consumed last, so that a forged or stale proof cannot use up someone's nonce.
	if err := i.consumeNonce(ctx, c.Nonce); err != nil {
		return proofHolder{}, err
	}
	if jwk != nil {
		return proofHolder{DID: holder, JWK: jwk}, nil
	}
	return proofHolder{DID: holder, KID: h.Kid}, nil
}

func audienceHas(raw json.RawMessage, want string) bool {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return strings.TrimRight(one, "/") == want
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		for _, a := range many {
			if strings.TrimRight(a, "/") == want {
				return true
			}
		}
	}
	return false
}
