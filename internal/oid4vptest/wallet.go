// Package oid4vptest is a minimal OpenID4VP wallet for tests of the programs that embed the verifier
// (the daemon, the CLI): it follows a wallet URL, reads the request object and answers it with VP-JWTs
// signed by the credential package. It checks nothing a real wallet would (the request object's
// signature, the client); the independent-wallet tests use OpenWallet Foundation code for that.
package oid4vptest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/presex"
)

// RequestObject is what the wallet reads from the request object.
type RequestObject struct {
	ClientID    string `json:"client_id"`
	Nonce       string `json:"nonce"`
	State       string `json:"state"`
	ResponseURI string `json:"response_uri"`
	DCQL        struct {
		Credentials []struct {
			ID string `json:"id"`
		} `json:"credentials"`
	} `json:"dcql_query"`
	// Definition is set instead of DCQL in draft-era requests (DIF Presentation Exchange).
	Definition *presex.Definition `json:"presentation_definition"`
}

// Fetch follows walletURL (openid4vp://?client_id=…&request_uri=…) to the request object.
func Fetch(ctx context.Context, walletURL string) (*RequestObject, error) {
	u, err := url.Parse(walletURL)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.Query().Get("request_uri"), nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("request object: HTTP %d %s", resp.StatusCode, body)
	}
	parts := strings.Split(string(body), ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("request object is not a JWS: %.80s", body)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	var ro RequestObject
	if err := json.Unmarshal(payload, &ro); err != nil {
		return nil, err
	}
	if ro.ClientID != u.Query().Get("client_id") || (len(ro.DCQL.Credentials) == 0 && (ro.Definition == nil || len(ro.Definition.InputDescriptors) == 0)) {
		return nil, fmt.Errorf("request object does not match the URL or asks for nothing: %s", payload)
	}
	return &ro, nil
}

// Answer fetches the request at walletURL and answers its first credential query (or input descriptor,
// with a presentation_submission) with one VP-JWT of vcs signed by holder. It returns the response
// endpoint's HTTP status.
func Answer(ctx context.Context, walletURL string, holder *credential.Issuer, vcs []string) (int, error) {
	ro, err := Fetch(ctx, walletURL)
	if err != nil {
		return 0, err
	}
	vp, err := holder.Present(vcs, ro.ClientID, ro.Nonce, time.Minute)
	if err != nil {
		return 0, err
	}
	form := url.Values{"state": {ro.State}}
	if d := ro.Definition; d != nil {
		id := d.InputDescriptors[0].ID
		sub, _ := json.Marshal(presex.Submission{ID: "submission", DefinitionID: d.ID, DescriptorMap: []presex.Descriptor{{
			ID: id, Format: presex.FormatJWTVPJSON, Path: "$",
			PathNested: &presex.Descriptor{ID: id, Format: presex.FormatJWTVCJSON, Path: "$.verifiableCredential[0]"},
		}}})
		form.Set("vp_token", vp)
		form.Set("presentation_submission", string(sub))
	} else {
		token, _ := json.Marshal(map[string][]string{ro.DCQL.Credentials[0].ID: {vp}})
		form.Set("vp_token", string(token))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ro.ResponseURI, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
