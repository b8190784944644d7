package oid4vci

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/url"
	"time"
)

// TokenResponse is the token endpoint's answer.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

// maxSwapRetries bounds the compare-and-swap retries when concurrent requests touch one record.
const maxSwapRetries = 8

// Token redeems a pre-authorized code (with its tx_code when the offer has one) for an access token.
func (i *Issuer) Token(ctx context.Context, form url.Values) (*TokenResponse, error) {
	if gt := form.Get("grant_type"); gt != GrantPreAuthorized {
		if gt == "" {
			return nil, errorf(CodeInvalidRequest, "grant_type is missing")
		}
		return nil, errorf(CodeUnsupportedGrantType, "grant_type %q: only the pre-authorized code grant is supported", trunc(gt))
	}
	code := form.Get("pre-authorized_code")
	if code == "" {
		return nil, errorf(CodeInvalidRequest, "pre-authorized_code is missing")
	}
	g, err := i.redeem(ctx, code, form.Get("tx_code"), form.Has("tx_code"))
	if err != nil {
		return nil, err
	}
	token := newSecret()
	exp := i.Now().Add(i.TokenTTL)
	rec := accessToken{ConfigurationIDs: g.ConfigurationIDs, Claims: g.Claims, RequestID: g.RequestID, Expires: exp}
	if err := i.put(ctx, secretID(prefixToken, token), marshalRecord(rec), exp); err != nil {
		return nil, err
	}
	if g.RequestID != "" && i.Events != nil {
		i.Events.OfferRetrieved(ctx, g.RequestID)
	}
	return &TokenResponse{AccessToken: token, TokenType: "Bearer", ExpiresIn: int64(i.TokenTTL / time.Second)}, nil
}

// redeem marks a code used, after checking its tx_code; wrong tx_codes lock and finally burn it.
func (i *Issuer) redeem(ctx context.Context, code, txCode string, hasTxCode bool) (*grant, error) {
	id := secretID(prefixCode, code)
	for range maxSwapRetries {
		var g grant
		version, ok, err := getRecord(ctx, i.Sessions, id, &g)
		if err != nil {
			return nil, err
		}
		now := i.Now()
		switch {
		case !ok || !now.Before(g.Expires):
			return nil, errorf(CodeInvalidGrant, "the pre-authorized code is unknown or expired")
		case g.Used:
			return nil, errorf(CodeInvalidGrant, "the pre-authorized code was already used")
		case g.Failures >= i.MaxTxCodeAttempts:
			return nil, errorf(CodeInvalidGrant, "the pre-authorized code is burned after %d wrong tx_codes", g.Failures)
		}
		if g.TxCode != "" {
			if !hasTxCode || txCode == "" {
				return nil, errorf(CodeInvalidGrant, "the offer requires a tx_code")
			}
			if now.Before(g.LockedUntil) {
				return nil, errorf(CodeSlowDown, "locked after a wrong tx_code: retry in %s", g.LockedUntil.Sub(now).Round(time.Millisecond))
			}
			if subtle.ConstantTimeCompare([]byte(txCodeHash(code, txCode)), []byte(g.TxCode)) != 1 {
				g.Failures++
				g.LockedUntil = now.Add(i.TxCodeLock << (g.Failures - 1))
				swapped, err := i.Sessions.SwapSession(ctx, id, version, marshalRecord(g), g.Expires)
				if err != nil {
					return nil, err
				}
				if !swapped {
					continue
				}
				if left := i.MaxTxCodeAttempts - g.Failures; left > 0 {
					return nil, errorf(CodeInvalidGrant, "wrong tx_code: %d attempts left", left)
				}
				i.failed(ctx, g.RequestID, CodeInvalidGrant, "the pre-authorized code is burned after too many wrong tx_codes")
				return nil, errorf(CodeInvalidGrant, "wrong tx_code: the pre-authorized code is burned")
			}
		}
		g.Used = true
		swapped, err := i.Sessions.SwapSession(ctx, id, version, marshalRecord(g), g.Expires)
		if err != nil {
			return nil, err
		}
		if swapped {
			return &g, nil
		}
	}
	return nil, errorf(CodeInvalidGrant, "the pre-authorized code is being redeemed concurrently")
}

func (i *Issuer) failed(ctx context.Context, requestID string, code Code, desc string) {
	if requestID != "" && i.Events != nil {
		i.Events.IssuanceFailed(ctx, requestID, code, desc)
	}
}

// NewNonce returns a fresh c_nonce. It writes nothing to the store (see nonce.go), except the MAC key
// the first time.
func (i *Issuer) NewNonce(ctx context.Context) (string, error) {
	key, err := i.nonceKeys.get(ctx, i.Sessions, i.Now())
	if err != nil {
		return "", err
	}
	return sealNonce(key, i.Now().Add(i.NonceTTL).Truncate(time.Second)), nil
}

// consumeNonce uses up a c_nonce; it fails with invalid_nonce when the nonce is not this issuer's, expired
// or used.
func (i *Issuer) consumeNonce(ctx context.Context, n string) error {
	if n == "" {
		return errorf(CodeInvalidNonce, "the proof has no nonce: get one from the nonce endpoint")
	}
	key, err := i.nonceKeys.get(ctx, i.Sessions, i.Now())
	if err != nil {
		return err
	}
	exp, err := openNonce(key, n)
	if err != nil || !i.Now().Before(exp) {
		return errorf(CodeInvalidNonce, "the proof's nonce is unknown, expired or already used")
	}
	// The record only has to outlive the nonce: past its expiry the MAC check refuses it anyway.
	created, err := i.Sessions.PutSession(ctx, secretID(prefixNonce, n), marshalRecord(nonce{Used: true, Expires: exp}), exp)
	if err != nil {
		return fmt.Errorf("store session: %w", err)
	}
	if !created {
		return errorf(CodeInvalidNonce, "the proof's nonce is unknown, expired or already used")
	}
	return nil
}

func trunc(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
