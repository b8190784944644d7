package holder

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/dcql"
	"github.com/ionode/ionode/exchange/jwe"
	"github.com/ionode/ionode/exchange/oid4vp"
	"github.com/ionode/ionode/exchange/presex"
	"github.com/ionode/ionode/internal/jsonlimit"
)

// Limits on what a verifier sends, checked before parsing.
const (
	// MaxRequestObjectBytes bounds the request object (a compact JWS).
	MaxRequestObjectBytes = 64 << 10
	// maxURLBytes bounds an authorization request URL.
	maxURLBytes = 8 << 10
	// maxDepth bounds JSON nesting in the request object.
	maxDepth = 16
)

// ErrRequest marks an authorization request or request object this wallet refuses to answer.
var ErrRequest = errors.New("presentation request refused")

func refuse(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrRequest, fmt.Sprintf(format, args...))
}

// AuthorizationRequest is what a wallet URL or QR code carries: where to fetch the request object.
type AuthorizationRequest struct {
	// ClientID is the URL's client_id; empty for a bare request_uri (then the request object's counts).
	ClientID   string
	RequestURI string
}

// ParseAuthorizationRequest reads an OpenID4VP authorization request by reference (any scheme, e.g.
// openid4vp://?client_id=…&request_uri=…), or a bare https request_uri. Requests by value are refused:
// only a signed request object proves who asks.
func ParseAuthorizationRequest(s string) (AuthorizationRequest, error) {
	if len(s) > maxURLBytes {
		return AuthorizationRequest{}, refuse("the request URL is over %d bytes", maxURLBytes)
	}
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return AuthorizationRequest{}, refuse("not a URL: %v", err)
	}
	if (u.Scheme == "https" || u.Scheme == "http") && !u.Query().Has("request_uri") {
		return AuthorizationRequest{RequestURI: u.String()}, nil
	}
	q := u.Query()
	ar := AuthorizationRequest{ClientID: q.Get("client_id"), RequestURI: q.Get("request_uri")}
	if ar.RequestURI == "" {
		if q.Has("dcql_query") || q.Has("presentation_definition") {
			return AuthorizationRequest{}, refuse("an unsigned request by value: only signed request objects (request_uri) are answered")
		}
		return AuthorizationRequest{}, refuse("the URL has no request_uri")
	}
	if m := q.Get("request_uri_method"); m != "" && m != "get" {
		return AuthorizationRequest{}, refuse("request_uri_method %q is not supported", m)
	}
	ru, err := url.Parse(ar.RequestURI)
	if err != nil || (ru.Scheme != "https" && ru.Scheme != "http") || ru.Host == "" {
		return AuthorizationRequest{}, refuse("request_uri %q is not an http(s) URL", credential.Truncate(ar.RequestURI))
	}
	return ar, nil
}

// Request is a request object's content, once its signature is verified.
type Request struct {
	ClientID     string
	DID          string // the verifier's DID, which signed the request object
	ClientName   string // client_metadata.client_name, as the verifier names itself (unverified)
	Nonce        string
	State        string
	ResponseURI  string
	ResponseMode string // direct_post, or direct_post.jwt (the response is encrypted to EncryptTo)
	// DCQL is the query of an OpenID4VP 1.0 request; Definition is set instead in a draft-era request
	// (DIF Presentation Exchange v2), answered with a presentation_submission.
	DCQL       dcql.Query
	Definition *presex.Definition
	// EncryptTo and Enc are the verifier's key and content encryption for direct_post.jwt.
	EncryptTo *jose.JSONWebKey
	Enc       string
	Expires   time.Time
}

// requestClaims are the members of a request object this wallet reads.
type requestClaims struct {
	ClientID       string          `json:"client_id"`
	ClientIDScheme string          `json:"client_id_scheme"` // draft-era: "did" with a bare DID
	ResponseType   string          `json:"response_type"`
	ResponseMode   string          `json:"response_mode"`
	ResponseURI    string          `json:"response_uri"`
	Nonce          string          `json:"nonce"`
	State          string          `json:"state"`
	DCQL           json.RawMessage `json:"dcql_query"`
	Definition     json.RawMessage `json:"presentation_definition"`
	Exp            *int64          `json:"exp"`
	ClientMetadata struct {
		ClientName string          `json:"client_name"`
		JWKS       json.RawMessage `json:"jwks"`
		EncValues  []string        `json:"encrypted_response_enc_values_supported"`
		// DraftEnc is how draft-era verifiers name the one content encryption they accept.
		DraftEnc string `json:"authorization_encrypted_response_enc"`
	} `json:"client_metadata"`
}

// verifierDID is the DID a request object's client_id names: "decentralized_identifier:<DID>"
// (OpenID4VP 1.0), or a bare DID with client_id_scheme "did" (the drafts).
func (c *requestClaims) verifierDID() (string, bool) {
	did, ok := strings.CutPrefix(c.ClientID, oid4vp.ClientIDPrefix)
	if !ok && c.ClientIDScheme == "did" {
		did, ok = c.ClientID, true
	}
	return did, ok && strings.HasPrefix(did, "did:")
}

// parseRequestClaims reads and checks a request object's payload (not its signature). It is linear in
// the payload: one bounded depth scan, one decode.
func parseRequestClaims(payload []byte) (*Request, error) {
	if err := jsonlimit.Check(payload, MaxRequestObjectBytes, maxDepth); err != nil {
		return nil, refuse("request object: %v", err)
	}
	var c requestClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, refuse("request object payload is not a JSON object: %v", err)
	}
	did, ok := c.verifierDID()
	if !ok {
		return nil, refuse("client_id %q is not %s<DID> (nor a DID with client_id_scheme did): this wallet answers verifiers identified by a DID", credential.Truncate(c.ClientID), oid4vp.ClientIDPrefix)
	}
	if !slices.Contains(strings.Fields(c.ResponseType), "vp_token") {
		return nil, refuse("response_type %q does not ask for a vp_token", credential.Truncate(c.ResponseType))
	}
	if c.ResponseMode != oid4vp.ModeDirectPost && c.ResponseMode != oid4vp.ModeDirectPostJWT {
		return nil, refuse("response_mode %q is not supported (%s and %s are)", credential.Truncate(c.ResponseMode), oid4vp.ModeDirectPost, oid4vp.ModeDirectPostJWT)
	}
	ru, err := url.Parse(c.ResponseURI)
	if err != nil || (ru.Scheme != "https" && ru.Scheme != "http") || ru.Host == "" {
		return nil, refuse("response_uri %q is not an http(s) URL", credential.Truncate(c.ResponseURI))
	}
	if c.Nonce == "" {
		return nil, refuse("the request object has no nonce")
	}
	if c.Exp == nil {
		return nil, refuse("the request object has no exp")
	}
	r := &Request{ClientID: c.ClientID, DID: did, ClientName: c.ClientMetadata.ClientName, Nonce: c.Nonce,
		State: c.State, ResponseURI: c.ResponseURI, ResponseMode: c.ResponseMode, Expires: time.Unix(*c.Exp, 0)}
	if err := c.query(r); err != nil {
		return nil, err
	}
	if c.ResponseMode == oid4vp.ModeDirectPostJWT {
		encs := c.ClientMetadata.EncValues
		if len(encs) == 0 && c.ClientMetadata.DraftEnc != "" {
			encs = []string{c.ClientMetadata.DraftEnc}
		}
		key, enc, err := jwe.Offered(c.ClientMetadata.JWKS, encs)
		if err != nil {
			return nil, refuse("response_mode %s: %v", oid4vp.ModeDirectPostJWT, err)
		}
		r.EncryptTo, r.Enc = &key, enc
	}
	return r, nil
}

// query reads what the request asks for: a DCQL query, or (in a draft-era request) a presentation
// definition, exactly one of them.
func (c *requestClaims) query(r *Request) error {
	hasDefinition := len(c.Definition) > 0 && string(c.Definition) != "null"
	hasDCQL := len(c.DCQL) > 0 && string(c.DCQL) != "null"
	switch {
	case hasDefinition && hasDCQL:
		return refuse("the request object has both a dcql_query and a presentation_definition")
	case hasDefinition:
		d, err := presex.ParseDefinition(c.Definition)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrRequest, err)
		}
		r.Definition = d
		return nil
	case !hasDCQL:
		return refuse("the request object has no dcql_query or presentation_definition asking for credentials")
	}
	q, err := dcql.Parse(c.DCQL)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrRequest, err)
	}
	if len(q.Credentials) > oid4vp.MaxPresentations {
		return refuse("the request asks for more than %d credentials", oid4vp.MaxPresentations)
	}
	r.DCQL = *q
	return nil
}
