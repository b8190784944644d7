package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/httpapi"
	"github.com/ionode/ionode/credential/sdjwt"
)

// Issued is a credential the node issued with its own key.
type Issued struct {
	JWT string `json:"jwt"`
	// CredentialStatus is the status entry, when one was asked for (null otherwise).
	CredentialStatus json.RawMessage `json:"credentialStatus"`
}

// IssueCredential asks the node to issue a credential with its issuer key (POST /credentials/issue,
// admin token).
func (c *Client) IssueCredential(ctx context.Context, req httpapi.IssueRequest) (*Issued, error) {
	r, err := postJSON("/credentials/issue", req, true)
	if err != nil {
		return nil, err
	}
	var out Issued
	if err := c.call(ctx, r, &out, http.StatusOK); err != nil {
		return nil, err
	}
	if out.JWT == "" {
		return nil, fmt.Errorf("node %s answered without a credential", c.base)
	}
	return &out, nil
}

// VerifyCredential has the node verify a VC-JWT (POST /credentials/verify). A credential that fails a
// check is a Result with Valid false, not an error.
func (c *Client) VerifyCredential(ctx context.Context, jwt string) (*credential.Result, error) {
	return verify[credential.Result](ctx, c, "/credentials/verify", map[string]string{"jwt": jwt})
}

// VerifyPresentation has the node verify a VP-JWT for audience and nonce (POST /presentations/verify).
func (c *Client) VerifyPresentation(ctx context.Context, jwt, audience, nonce string) (*credential.Result, error) {
	return verify[credential.Result](ctx, c, "/presentations/verify", map[string]string{"jwt": jwt, "audience": audience, "nonce": nonce})
}

// VerifySDJWT has the node verify an SD-JWT VC; with an audience, as a presentation whose key-binding
// JWT must name audience and nonce.
func (c *Client) VerifySDJWT(ctx context.Context, sdJWT, audience, nonce string) (*sdjwt.Result, error) {
	if audience != "" {
		return verify[sdjwt.Result](ctx, c, "/presentations/verify", map[string]string{"jwt": sdJWT, "audience": audience, "nonce": nonce})
	}
	return verify[sdjwt.Result](ctx, c, "/credentials/verify", map[string]string{"jwt": sdJWT})
}

func verify[R any](ctx context.Context, c *Client, path string, body map[string]string) (*R, error) {
	r, err := postJSON(path, body, false)
	if err != nil {
		return nil, err
	}
	var out R
	if err := c.call(ctx, r, &out, http.StatusOK); err != nil {
		return nil, err
	}
	return &out, nil
}

// SetRevoked revokes (or, with revoked false, reinstates) the credential at index of the node's status
// list (POST /status/{list}/{index}, admin token). Setting the same value again changes nothing.
func (c *Client) SetRevoked(ctx context.Context, list string, index int, revoked bool) error {
	if index < 0 {
		return fmt.Errorf("status list index %d is negative", index)
	}
	r, err := postJSON("/status/"+url.PathEscape(list)+"/"+strconv.Itoa(index), map[string]bool{"revoked": revoked}, true)
	if err != nil {
		return err
	}
	return c.call(ctx, r, nil, http.StatusOK, http.StatusNoContent)
}
