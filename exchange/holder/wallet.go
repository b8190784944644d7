package holder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/oid4vp"
)

// Doer sends HTTP requests (*http.Client). Redirects are the Doer's to follow or not; Answer never
// re-posts a response to a redirect target.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Wallet answers presentation requests. Holder, Resolver and HTTP are required.
type Wallet struct {
	// Holder signs the presentations; its key must be in the holder DID's authentication relationship.
	Holder *credential.Issuer
	// Resolver resolves the verifier's DID to check the request object's signature.
	Resolver credential.DIDResolver
	HTTP     Doer
	// Now is the clock for the request's expiry; default time.Now.
	Now func() time.Time
	// TTL is the presentations' lifetime; default 5 minutes.
	TTL time.Duration
	// AllowHTTPLoopback lets request_uri and response_uri be plain http to a loopback address (a test
	// node); otherwise both must be https, since the response carries the holder's credentials.
	AllowHTTPLoopback bool
	// SkipRequestVerification is for TESTS ONLY (internal/oid4vptest): the request object's signature
	// and its key's place in the client_id's DID are not checked, so a test of a program embedding the
	// verifier needs no resolver for the verifier's DID. Everything else is checked as usual. A wallet
	// with it set answers whoever names a DID: never set it where credentials are real.
	SkipRequestVerification bool
}

// checkURL refuses an endpoint the wallet should not talk to: anything but https, or http to a
// loopback address when AllowHTTPLoopback is set.
func (w *Wallet) checkURL(what, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return refuse("%s %q is not a URL", what, credential.Truncate(raw))
	}
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && w.AllowHTTPLoopback && isLoopback(u.Hostname()):
		return nil
	case u.Scheme == "http":
		return refuse("%s %q is plain http: only https is answered (loopback http needs AllowHTTPLoopback)", what, credential.Truncate(raw))
	}
	return refuse("%s %q is not an https URL", what, credential.Truncate(raw))
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

func (w *Wallet) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// maxAnswerBytes bounds what the wallet reads of a response endpoint's answer.
const maxAnswerBytes = 64 << 10

// Fetch fetches the request object of ar and returns its content once its signature, its client_id
// and its expiry are checked. A refusal wraps ErrRequest, or is the credential package's *Failure for
// a bad signature or key.
func (w *Wallet) Fetch(ctx context.Context, ar AuthorizationRequest) (*Request, error) {
	if err := w.checkURL("request_uri", ar.RequestURI); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ar.RequestURI, nil)
	if err != nil {
		return nil, refuse("request_uri: %v", err)
	}
	req.Header.Set("Accept", "application/"+oid4vp.RequestObjectType)
	resp, err := w.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch the request object: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxRequestObjectBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetch the request object: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: the verifier answered HTTP %d: %s", ErrRequest, resp.StatusCode, describeOAuthError(body))
	}
	if len(body) > MaxRequestObjectBytes {
		return nil, refuse("the request object is over %d bytes", MaxRequestObjectBytes)
	}
	return w.Verify(ctx, ar, strings.TrimSpace(string(body)))
}

// Verify checks a request object: a JWS of typ oauth-authz-req+jwt whose kid is a verification method
// of the client_id's DID (OpenID4VP 1.0 §5.9.3: any method of the document), found by resolution, with
// the claims this wallet needs, not expired, and for the client_id the URL named.
func (w *Wallet) Verify(ctx context.Context, ar AuthorizationRequest, raw string) (*Request, error) {
	jws, err := credential.ParseJWS(raw, nil)
	if err != nil {
		return nil, err
	}
	if jws.Header().Typ != oid4vp.RequestObjectType {
		return nil, refuse("request object typ %q, want %s", credential.Truncate(jws.Header().Typ), oid4vp.RequestObjectType)
	}
	r, err := parseRequestClaims(jws.Payload())
	if err != nil {
		return nil, err
	}
	if ar.ClientID != "" && ar.ClientID != r.ClientID {
		return nil, refuse("the request object's client_id %q is not the URL's %q", credential.Truncate(r.ClientID), credential.Truncate(ar.ClientID))
	}
	if !w.SkipRequestVerification {
		pub, _, err := credential.ResolveKey(ctx, w.Resolver, r.DID, jws.Header().Kid, "")
		if err != nil {
			return nil, err
		}
		if err := jws.Verify(pub); err != nil {
			return nil, err
		}
	}
	if now := w.now(); !now.Before(r.Expires.Add(credential.EffectiveSkew(0))) {
		return nil, refuse("the request expired at %s", r.Expires.UTC().Format(time.RFC3339))
	}
	return r, nil
}

// Outcome is the verifier's answer to a posted response.
type Outcome struct {
	Status int // HTTP status of the response endpoint
	// Accepted is true on a 2xx answer.
	Accepted bool
	// RedirectURI is where the verifier sends the user next, if it says.
	RedirectURI string
	// Error, Description and Code are the verifier's OAuth error (Code: its stable failure code, when
	// the verifier gives one, as ionode does).
	Error, Description, Code string
	// Presented maps each credential query id to the credentials chosen for it.
	Presented map[string][]string
}

// Response is what the wallet sends a verifier, before any encryption.
type Response struct {
	// VPToken is the vp_token: a JSON object of VP-JWTs by credential query id (DCQL), or one VP-JWT
	// (a draft-era answer to a presentation definition).
	VPToken string
	// Submission is the presentation_submission (JSON) of a draft-era answer.
	Submission string
	// Chosen are the held credentials presented for each credential query or input descriptor id.
	Chosen map[string][]string
}

// Present answers r with held credentials: for a presentation definition, as presentDefinition says;
// for DCQL, as choose picks (each credential query's candidates by format, type or vct, claims and
// values; the first satisfiable option of each credential set; the newest credential by iat, or those
// named in choice): a VP-JWT per chosen VC-JWT, or for dc+sd-jwt an SD-JWT+KB disclosing the claims of
// the claim set the credential satisfies (presentSDJWT). Nothing satisfying a required set is an error
// wrapping ErrNoMatch: DCQL asks for all of a set's option or nothing.
func (w *Wallet) Present(r *Request, held []string, choice Choice) (*Response, error) {
	if r.Definition != nil {
		// The definition's matching takes the first held credential that meets a descriptor: the named
		// ones go first, and each must have been chosen.
		first := slices.Concat(choice.Use, slices.DeleteFunc(slices.Clone(held), func(h string) bool { return slices.Contains(choice.Use, h) }))
		out, err := w.presentDefinition(r, first)
		if err != nil {
			return nil, err
		}
		for _, u := range choice.Use {
			if !slices.ContainsFunc(slices.Collect(maps.Values(out.Chosen)), func(c []string) bool { return slices.Contains(c, u) }) {
				return nil, fmt.Errorf("%w: %w: %s", ErrNoMatch, errUnusable, credential.Truncate(u))
			}
		}
		return out, nil
	}
	for _, q := range r.DCQL.Credentials {
		if q.Format != oid4vp.FormatJWTVC && q.Format != oid4vp.FormatSDJWT {
			return nil, refuse("credential query %q asks for format %q; this wallet presents %s and %s", credential.Truncate(q.ID), credential.Truncate(q.Format), oid4vp.FormatJWTVC, oid4vp.FormatSDJWT)
		}
	}
	ids, cands, err := choose(&r.DCQL, held, choice)
	if err != nil {
		return nil, err
	}
	if err := checkChoice(choice, ids, cands); err != nil {
		return nil, err
	}
	total := 0
	for _, id := range ids {
		total += len(cands[id])
	}
	if total > oid4vp.MaxPresentations {
		return nil, fmt.Errorf("%w: %d credentials chosen, more than the %d a response may hold", ErrNoMatch, total, oid4vp.MaxPresentations)
	}
	token := make(map[string][]string, len(ids))
	chosen := make(map[string][]string, len(ids))
	for _, id := range ids {
		for _, c := range cands[id] {
			vp, err := w.presentOne(r, c)
			if err != nil {
				return nil, err
			}
			token[id] = append(token[id], vp)
			chosen[id] = append(chosen[id], c.raw)
		}
	}
	b, err := json.Marshal(token)
	if err != nil {
		return nil, fmt.Errorf("vp_token: %w", err)
	}
	return &Response{VPToken: string(b), Chosen: chosen}, nil
}

// presentOne presents one chosen credential: a VP-JWT of a VC-JWT, or an SD-JWT+KB.
func (w *Wallet) presentOne(r *Request, c candidate) (string, error) {
	if c.format == oid4vp.FormatSDJWT {
		return w.presentSDJWT(r, c)
	}
	vp, err := w.Holder.Present([]string{c.raw}, r.ClientID, r.Nonce, w.TTL)
	if err != nil {
		return "", fmt.Errorf("sign the presentation: %w", err)
	}
	return vp, nil
}

// ErrNoMatch is returned when no held credential answers a credential query.
var ErrNoMatch = errors.New("no held credential matches the request")

// Answer presents held credentials for r and posts them to its response_uri (direct_post, or
// direct_post.jwt encrypted to the verifier's key). A verifier's refusal is an Outcome with Accepted
// false, not an error.
func (w *Wallet) Answer(ctx context.Context, r *Request, held []string, choice Choice) (*Outcome, error) {
	if err := w.checkURL("response_uri", r.ResponseURI); err != nil {
		return nil, err
	}
	presented, err := w.Present(r, held, choice)
	if err != nil {
		return nil, err
	}
	form, err := responseForm(r, presented)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.ResponseURI, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, refuse("response_uri: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := w.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("post the response: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return nil, fmt.Errorf("read the verifier's answer: %w", err)
	}
	out := &Outcome{Status: resp.StatusCode, Accepted: resp.StatusCode/100 == 2, Presented: presented.Chosen}
	var answer struct {
		RedirectURI string `json:"redirect_uri"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Code        string `json:"code"`
	}
	if json.Unmarshal(body, &answer) == nil {
		out.RedirectURI, out.Error, out.Description, out.Code = answer.RedirectURI, answer.Error, answer.Description, answer.Code
	}
	if !out.Accepted && out.Error == "" {
		out.Error, out.Description = "http_"+fmt.Sprint(resp.StatusCode), credential.Truncate(string(body))
	}
	return out, nil
}

// describeOAuthError names an OAuth error answer, or shows the start of anything else.
func describeOAuthError(body []byte) string {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Code        string `json:"code"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		if e.Code != "" {
			return e.Code + ": " + e.Description
		}
		return e.Error + ": " + e.Description
	}
	return credential.Truncate(string(body))
}
