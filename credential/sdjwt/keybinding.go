package sdjwt

import (
	"context"
	"crypto"
	"encoding/json"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/resolver"
)

// kbClaims are the KB-JWT claims (RFC 9901 Section 4.3).
type kbClaims struct {
	Iat    *credential.NumericDate `json:"iat"`
	Aud    string                  `json:"aud"`
	Nonce  string                  `json:"nonce"`
	SDHash string                  `json:"sd_hash"`
}

// cnf is the confirmation claim: the holder's key, or a DID URL naming it.
type cnf struct {
	JWK json.RawMessage `json:"jwk"`
	Kid string          `json:"kid"`
}

// checkKeyBinding verifies the KB-JWT (RFC 9901 Section 7.3) when there is one or the options require
// it: typ kb+jwt, signed by the cnf key, iat within KBMaxAge, aud and nonce the verifier's, sd_hash the
// digest of what was presented.
func (v *Verifier) checkKeyBinding(ctx context.Context, r *Result, s *SDJWT, pc *payloadClaims, opts Options) bool {
	if s.KBJWT == "" {
		if opts.RequireKeyBinding {
			r.fail(CheckKeyBinding, fail(CodeKeyBindingRequired, "the presentation has no KB-JWT"), CodeKeyBindingRequired)
			return false
		}
		r.skip(CheckKeyBinding, "no KB-JWT")
		return true
	}
	kb, err := v.keyBinding(ctx, s, pc, opts)
	if err != nil {
		r.fail(CheckKeyBinding, err, CodeInvalidKeyBinding)
		return false
	}
	r.KeyBinding = kb
	r.pass(CheckKeyBinding, "")
	return true
}

func (v *Verifier) keyBinding(ctx context.Context, s *SDJWT, pc *payloadClaims, opts Options) (*KeyBindingResult, error) {
	tok, err := credential.ParseJWS(s.KBJWT, v.Algorithms)
	if err != nil {
		return nil, fail(CodeInvalidKeyBinding, "KB-JWT: %w", err)
	}
	if tok.Header().Typ != TypKB {
		return nil, fail(CodeInvalidKeyBinding, "KB-JWT typ %q is not %s", credential.Truncate(tok.Header().Typ), TypKB)
	}
	var c cnf
	if len(pc.Cnf) == 0 || json.Unmarshal(pc.Cnf, &c) != nil || (len(c.JWK) == 0) == (c.Kid == "") {
		return nil, fail(CodeKeyBindingRequired, "the credential has no cnf.jwk or cnf.kid to bind to")
	}
	var pub crypto.PublicKey
	holder := ""
	if len(c.JWK) > 0 {
		if pub, err = resolver.ParseJWK(c.JWK); err != nil {
			return nil, fail(CodeInvalidKeyBinding, "cnf.jwk: %w", err)
		}
	} else {
		did, _ := resolver.SplitDIDURL(c.Kid)
		if pub, _, err = credential.ResolveKey(ctx, v.Resolver, did, c.Kid, resolver.Authentication); err != nil {
			return nil, fail(CodeInvalidKeyBinding, "cnf.kid: %w", err)
		}
		holder = c.Kid
	}
	if err := tok.Verify(pub); err != nil {
		return nil, fail(CodeInvalidKeyBinding, "KB-JWT signature: %w", err)
	}
	var kc kbClaims
	if err := json.Unmarshal(tok.Payload(), &kc); err != nil {
		return nil, fail(CodeInvalidKeyBinding, "KB-JWT claims: %w", err)
	}
	if kc.Iat == nil {
		return nil, fail(CodeInvalidKeyBinding, "KB-JWT has no iat")
	}
	now, maxAge := v.now(), v.KBMaxAge
	if maxAge <= 0 {
		maxAge = 5 * time.Minute
	}
	if now.Add(v.skew()).Before(kc.Iat.Time) || now.Add(-maxAge-v.skew()).After(kc.Iat.Time) {
		return nil, fail(CodeInvalidKeyBinding, "KB-JWT iat %s is outside the accepted window", kc.Iat.Format(time.RFC3339))
	}
	if opts.Audience == "" || kc.Aud != opts.Audience {
		return nil, fail(credential.CodeAudienceMismatch, "KB-JWT aud %q is not %q", credential.Truncate(kc.Aud), credential.Truncate(opts.Audience))
	}
	if opts.Nonce == "" || kc.Nonce != opts.Nonce {
		return nil, fail(credential.CodeNonceMismatch, "KB-JWT nonce is not the one given to the holder")
	}
	if want := s.SDHash(); kc.SDHash != want {
		return nil, fail(CodeSDHashMismatch, "KB-JWT sd_hash %q is not the presentation's %s", credential.Truncate(kc.SDHash), want)
	}
	return &KeyBindingResult{Audience: kc.Aud, Nonce: kc.Nonce, IssuedAt: kc.Iat.Time, Holder: holder}, nil
}
