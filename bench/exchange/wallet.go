package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/exchange/issuance"
	"github.com/ionode/ionode/exchange/oid4vci"
	"github.com/ionode/ionode/resolver/key"
)

// maxBody bounds what the load generator reads of any answer.
const maxBody = 1 << 20

// holder is one wallet: a did:key (EdDSA) derived from the run's seed and its number, so that the
// process presenting credentials holds the keys the issuing process had them bound to.
type holder struct {
	*credential.Issuer
}

func newHolder(seed string, i int) (*holder, error) {
	h := sha256.New()
	h.Write([]byte(seed))
	_ = binary.Write(h, binary.BigEndian, uint64(i))
	priv := ed25519.NewKeyFromSeed(h.Sum(nil))
	did, err := key.DIDKey(priv.Public())
	if err != nil {
		return nil, err
	}
	s, err := credential.NewSigner(did+"#"+strings.TrimPrefix(did, "did:key:"), priv)
	if err != nil {
		return nil, err
	}
	return &holder{&credential.Issuer{Signer: s}}, nil
}

// client is the load generator's HTTP side: wallets and relying party share its keep-alive connections.
type client struct {
	http  *http.Client
	base  string
	admin string
	rp    *relyingParty // nil: requests carry no callback
}

func newClient(base, admin string, conns int, rp *relyingParty) *client {
	t := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}
	return &client{http: &http.Client{Transport: t, Timeout: 30 * time.Second}, base: base, admin: admin, rp: rp}
}

// do sends a request and returns the body of an answer with status want, or an error naming the step.
func (c *client) do(ctx context.Context, step, method, u, contentType, bearer string, body []byte, want int) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", step, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", step, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", step, err)
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("%s: HTTP %d, want %d: %.300s", step, resp.StatusCode, want, out)
	}
	return out, nil
}

func (c *client) callback() *exchange.Callback {
	if c.rp == nil {
		return nil
	}
	return &exchange.Callback{URL: c.rp.url, State: "bench", Headers: map[string]string{"api-key": c.rp.key}}
}

// issue runs one issuance exchange for h: the relying party's createIssuanceRequest, then the wallet's
// offer, token, nonce and credential requests (with its proof of possession). It returns the credential.
func (c *client) issue(ctx context.Context, issuerDID string, h *holder) (string, error) {
	body, _ := json.Marshal(issuance.Request{
		Authority: issuerDID, Registration: exchange.Registration{ClientName: "Contoso HR"}, Callback: c.callback(),
		Type: credentialType, Claims: map[string]any{"name": "Alice", "department": "Benchmarks"},
	})
	out, err := c.do(ctx, "createIssuanceRequest", http.MethodPost, c.base+exchange.APIPrefix+"/createIssuanceRequest", "application/json", c.admin, body, http.StatusCreated)
	if err != nil {
		return "", err
	}
	var created exchange.CreateResponse
	if err := json.Unmarshal(out, &created); err != nil {
		return "", fmt.Errorf("createIssuanceRequest: %w", err)
	}
	wallet, err := url.Parse(created.URL)
	if err != nil {
		return "", fmt.Errorf("offer URL: %w", err)
	}
	offerURI := wallet.Query().Get("credential_offer_uri")
	if out, err = c.do(ctx, "offer", http.MethodGet, offerURI, "", "", nil, http.StatusOK); err != nil {
		return "", err
	}
	var offer struct {
		Issuer string `json:"credential_issuer"`
		Grants map[string]struct {
			Code string `json:"pre-authorized_code"`
		} `json:"grants"`
	}
	if err := json.Unmarshal(out, &offer); err != nil {
		return "", fmt.Errorf("offer: %w", err)
	}
	form := url.Values{"grant_type": {oid4vci.GrantPreAuthorized}, "pre-authorized_code": {offer.Grants[oid4vci.GrantPreAuthorized].Code}}
	if out, err = c.do(ctx, "token", http.MethodPost, offer.Issuer+oid4vci.PathToken, "application/x-www-form-urlencoded", "", []byte(form.Encode()), http.StatusOK); err != nil {
		return "", err
	}
	var tok oid4vci.TokenResponse
	if err := json.Unmarshal(out, &tok); err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	if out, err = c.do(ctx, "nonce", http.MethodPost, offer.Issuer+oid4vci.PathNonce, "", "", nil, http.StatusOK); err != nil {
		return "", err
	}
	var nonce struct {
		CNonce string `json:"c_nonce"`
	}
	if err := json.Unmarshal(out, &nonce); err != nil {
		return "", fmt.Errorf("nonce: %w", err)
	}
	claims, _ := json.Marshal(map[string]any{"aud": offer.Issuer, "iat": time.Now().Unix(), "nonce": nonce.CNonce})
	proof, err := h.Signer.Sign(claims, oid4vci.ProofType)
	if err != nil {
		return "", err
	}
	body, _ = json.Marshal(map[string]any{"credential_configuration_id": credentialType, "proofs": map[string]any{"jwt": []string{proof}}})
	if out, err = c.do(ctx, "credential", http.MethodPost, offer.Issuer+oid4vci.PathCredential, "application/json", tok.AccessToken, body, http.StatusOK); err != nil {
		return "", err
	}
	var cred oid4vci.CredentialResponse
	if err := json.Unmarshal(out, &cred); err != nil || len(cred.Credentials) != 1 {
		return "", fmt.Errorf("credential: %d credentials, %v", len(cred.Credentials), err)
	}
	return cred.Credentials[0].Credential, nil
}

// requestObject is what the wallet reads from the signed request object.
type requestObject struct {
	ClientID    string `json:"client_id"`
	Nonce       string `json:"nonce"`
	State       string `json:"state"`
	ResponseURI string `json:"response_uri"`
	DCQL        struct {
		Credentials []struct {
			ID string `json:"id"`
		} `json:"credentials"`
	} `json:"dcql_query"`
}

// present runs one presentation exchange: the relying party's createPresentationRequest, the wallet's
// fetch of the request object, its VP (one VC, signed for the request's nonce and client_id) and the
// direct_post of the response.
func (c *client) present(ctx context.Context, issuerDID string, h *holder, vc string) error {
	body, _ := json.Marshal(exchange.PresentationRequest{
		Registration: exchange.Registration{ClientName: "Contoso", Purpose: "prove your badge"}, Callback: c.callback(),
		RequestedCredentials: []exchange.RequestedCredential{{Type: credentialType, AcceptedIssuers: []string{issuerDID}}},
	})
	out, err := c.do(ctx, "createPresentationRequest", http.MethodPost, c.base+exchange.APIPrefix+"/createPresentationRequest", "application/json", c.admin, body, http.StatusCreated)
	if err != nil {
		return err
	}
	var created exchange.CreateResponse
	if err := json.Unmarshal(out, &created); err != nil {
		return fmt.Errorf("createPresentationRequest: %w", err)
	}
	wallet, err := url.Parse(created.URL)
	if err != nil {
		return fmt.Errorf("wallet URL: %w", err)
	}
	if out, err = c.do(ctx, "request object", http.MethodGet, wallet.Query().Get("request_uri"), "", "", nil, http.StatusOK); err != nil {
		return err
	}
	parts := strings.Split(string(out), ".")
	if len(parts) != 3 {
		return fmt.Errorf("request object is not a JWS: %.80s", out)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return fmt.Errorf("request object: %w", err)
	}
	var ro requestObject
	if err := json.Unmarshal(payload, &ro); err != nil || len(ro.DCQL.Credentials) != 1 {
		return fmt.Errorf("request object %s: %v", payload, err)
	}
	vp, err := h.Present([]string{vc}, ro.ClientID, ro.Nonce, time.Minute)
	if err != nil {
		return err
	}
	token, _ := json.Marshal(map[string][]string{ro.DCQL.Credentials[0].ID: {vp}})
	form := url.Values{"vp_token": {string(token)}, "state": {ro.State}}
	_, err = c.do(ctx, "response", http.MethodPost, ro.ResponseURI, "application/x-www-form-urlencoded", "", []byte(form.Encode()), http.StatusOK)
	return err
}
