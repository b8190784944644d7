package holder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/internal/jsonlimit"
)

// The holder's side of OpenID4VCI 1.0: redeem a credential offer's pre-authorized code, prove
// possession of the holder's DID key with an openid4vci-proof+jwt, receive the credentials.

// maxIssuerJSON bounds each JSON answer of an issuer (offer, metadata, token, nonce, credential).
const maxIssuerJSON = 256 << 10

// ErrOffer marks a credential offer or issuer answer this wallet refuses.
var ErrOffer = errors.New("credential offer refused")

// TxCode describes the PIN an offer asks for.
type TxCode struct {
	InputMode   string `json:"input_mode"`
	Length      int    `json:"length"`
	Description string `json:"description"`
}

// Offer is a credential offer with a pre-authorized code.
type Offer struct {
	CredentialIssuer  string
	ConfigurationIDs  []string
	PreAuthorizedCode string
	// TxCode is non-nil when the holder must type a PIN.
	TxCode *TxCode
}

// parseOffer reads a credential offer object: one bounded depth scan, one decode.
func parseOffer(body []byte) (*Offer, error) {
	var o struct {
		CredentialIssuer string   `json:"credential_issuer"`
		ConfigurationIDs []string `json:"credential_configuration_ids"`
		Grants           map[string]struct {
			Code   string  `json:"pre-authorized_code"`
			TxCode *TxCode `json:"tx_code"`
		} `json:"grants"`
	}
	if err := decodeBounded(body, &o); err != nil {
		return nil, err
	}
	g, ok := o.Grants[oid4vci.GrantPreAuthorized]
	switch {
	case o.CredentialIssuer == "":
		return nil, fmt.Errorf("%w: no credential_issuer", ErrOffer)
	case len(o.ConfigurationIDs) == 0:
		return nil, fmt.Errorf("%w: no credential_configuration_ids", ErrOffer)
	case !ok || g.Code == "":
		return nil, fmt.Errorf("%w: no pre-authorized code (only the pre-authorized code grant is supported)", ErrOffer)
	}
	return &Offer{CredentialIssuer: o.CredentialIssuer, ConfigurationIDs: o.ConfigurationIDs, PreAuthorizedCode: g.Code, TxCode: g.TxCode}, nil
}

// decodeBounded decodes an issuer's JSON answer after bounding its size and depth.
func decodeBounded(body []byte, v any) error {
	if err := jsonlimit.Check(body, maxIssuerJSON, maxDepth); err != nil {
		return fmt.Errorf("%w: %v", ErrOffer, err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%w: not the JSON expected: %v", ErrOffer, err)
	}
	return nil
}

// FetchOffer reads an offer URL (openid-credential-offer://?credential_offer=… by value, or
// ?credential_offer_uri=… by reference, which is fetched).
func (w *Wallet) FetchOffer(ctx context.Context, offerURL string) (*Offer, error) {
	if len(offerURL) > maxURLBytes+maxIssuerJSON {
		return nil, fmt.Errorf("%w: the offer URL is too long", ErrOffer)
	}
	u, err := url.Parse(strings.TrimSpace(offerURL))
	if err != nil {
		return nil, fmt.Errorf("%w: not a URL: %v", ErrOffer, err)
	}
	q := u.Query()
	if v := q.Get("credential_offer"); v != "" {
		return parseOffer([]byte(v))
	}
	ref := q.Get("credential_offer_uri")
	if ref == "" {
		return nil, fmt.Errorf("%w: the URL has neither credential_offer nor credential_offer_uri", ErrOffer)
	}
	var body []byte
	if err := w.issuerCall(ctx, http.MethodGet, ref, "", nil, "", &body); err != nil {
		return nil, err
	}
	return parseOffer(body)
}

// issuerCall sends a request to an issuer endpoint and reads its bounded JSON answer into out (a
// *[]byte receives the raw body). A non-2xx answer is an error naming the issuer's OAuth error.
func (w *Wallet) issuerCall(ctx context.Context, method, endpoint, contentType string, body io.Reader, bearer string, out any) error {
	if err := w.checkURL("issuer endpoint", endpoint); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, endpoint, body)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrOffer, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := w.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("issuer %s: %w", credential.Truncate(endpoint), err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxIssuerJSON+1))
	if err != nil {
		return fmt.Errorf("issuer %s: %w", credential.Truncate(endpoint), err)
	}
	if resp.StatusCode/100 != 2 {
		return &IssuerError{Endpoint: endpoint, Status: resp.StatusCode, Message: describeOAuthError(b)}
	}
	if raw, ok := out.(*[]byte); ok {
		*raw = b
		return nil
	}
	return decodeBounded(b, out)
}

// IssuerError is an issuer endpoint's refusal.
type IssuerError struct {
	Endpoint string
	Status   int
	Message  string // the OAuth error and its description
}

func (e *IssuerError) Error() string {
	return fmt.Sprintf("issuer %s answered HTTP %d: %s", credential.Truncate(e.Endpoint), e.Status, e.Message)
}

// Receive redeems offer (with txCode when it asks for one) and returns one credential per offered
// configuration, each bound to the holder's DID by a proof of possession.
func (w *Wallet) Receive(ctx context.Context, offer *Offer, txCode string) ([]string, error) {
	if offer.TxCode != nil && txCode == "" {
		return nil, fmt.Errorf("%w: the offer asks for a PIN (tx_code) of %d characters", ErrOffer, offer.TxCode.Length)
	}
	issuer := strings.TrimRight(offer.CredentialIssuer, "/")
	var md struct {
		CredentialIssuer     string   `json:"credential_issuer"`
		CredentialEndpoint   string   `json:"credential_endpoint"`
		NonceEndpoint        string   `json:"nonce_endpoint"`
		AuthorizationServers []string `json:"authorization_servers"`
	}
	if err := w.issuerCall(ctx, http.MethodGet, issuer+oid4vci.PathIssuerMetadata, "", nil, "", &md); err != nil {
		return nil, err
	}
	if md.CredentialIssuer != offer.CredentialIssuer || md.CredentialEndpoint == "" {
		return nil, fmt.Errorf("%w: the issuer metadata names issuer %q, not the offer's, or no credential_endpoint", ErrOffer, credential.Truncate(md.CredentialIssuer))
	}
	as := issuer
	if len(md.AuthorizationServers) > 0 {
		as = strings.TrimRight(md.AuthorizationServers[0], "/")
	}
	var asMD struct {
		TokenEndpoint string `json:"token_endpoint"`
	}
	if err := w.issuerCall(ctx, http.MethodGet, as+oid4vci.PathASMetadata, "", nil, "", &asMD); err != nil {
		return nil, err
	}
	form := url.Values{"grant_type": {oid4vci.GrantPreAuthorized}, "pre-authorized_code": {offer.PreAuthorizedCode}}
	if txCode != "" {
		form.Set("tx_code", txCode)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := w.issuerCall(ctx, http.MethodPost, asMD.TokenEndpoint, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), "", &tok); err != nil {
		return nil, err
	}
	if tok.AccessToken == "" {
		return nil, fmt.Errorf("%w: the token endpoint gave no access_token", ErrOffer)
	}
	var creds []string
	for _, id := range offer.ConfigurationIDs {
		vc, err := w.redeem(ctx, md.CredentialIssuer, md.NonceEndpoint, md.CredentialEndpoint, tok.AccessToken, id)
		if err != nil {
			return nil, err
		}
		creds = append(creds, vc)
	}
	return creds, nil
}

// redeem asks for one credential of configuration id, with a fresh nonce in the proof.
func (w *Wallet) redeem(ctx context.Context, issuer, nonceEndpoint, credentialEndpoint, accessToken, id string) (string, error) {
	claims := map[string]any{"aud": issuer, "iat": w.now().Unix()}
	if nonceEndpoint != "" {
		var n struct {
			CNonce string `json:"c_nonce"`
		}
		if err := w.issuerCall(ctx, http.MethodPost, nonceEndpoint, "", nil, "", &n); err != nil {
			return "", err
		}
		claims["nonce"] = n.CNonce
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("proof: %w", err)
	}
	proof, err := w.Holder.Signer.SignContext(ctx, payload, oid4vci.ProofType)
	if err != nil {
		return "", fmt.Errorf("sign the proof: %w", err)
	}
	body, err := json.Marshal(map[string]any{"credential_configuration_id": id, "proofs": map[string]any{"jwt": []string{proof}}})
	if err != nil {
		return "", fmt.Errorf("credential request: %w", err)
	}
	var resp struct {
		Credentials []struct {
			Credential string `json:"credential"`
		} `json:"credentials"`
	}
	if err := w.issuerCall(ctx, http.MethodPost, credentialEndpoint, "application/json", strings.NewReader(string(body)), accessToken, &resp); err != nil {
		return "", err
	}
	if len(resp.Credentials) == 0 || resp.Credentials[0].Credential == "" {
		return "", fmt.Errorf("%w: the credential endpoint answered no credential (deferred issuance is not supported)", ErrOffer)
	}
	return resp.Credentials[0].Credential, nil
}
