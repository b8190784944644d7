package linkeddomains

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/resolver"
	"github.com/ionode/ionode/resolver/web"
)

// Names fixed by the DIF specification.
const (
	WellKnownPath  = "/.well-known/did-configuration.json"
	ContextV1      = "https://identity.foundation/.well-known/did-configuration/v1"
	CredentialType = "DomainLinkageCredential"
	ServiceType    = "LinkedDomains"
)

// maxLinkedDIDs bounds the entries of a configuration we look at.
const maxLinkedDIDs = 64

// ErrNotLinked is the cause of every failed link check.
var ErrNotLinked = errors.New("domain not linked")

// Configuration is a DID configuration resource.
type Configuration struct {
	Context    string   `json:"@context"`
	LinkedDIDs []string `json:"linked_dids"`
}

// Parse reads a DID configuration resource; JSON-LD (object) entries are skipped, only JWTs are kept.
func Parse(data []byte) (*Configuration, error) {
	var raw struct {
		Context    json.RawMessage   `json:"@context"`
		LinkedDIDs []json.RawMessage `json:"linked_dids"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("did-configuration: %w", err)
	}
	var ctx string
	if err := json.Unmarshal(raw.Context, &ctx); err != nil || ctx != ContextV1 {
		return nil, fmt.Errorf("did-configuration: @context must be %s", ContextV1)
	}
	if len(raw.LinkedDIDs) == 0 {
		return nil, errors.New("did-configuration: no linked_dids")
	}
	c := &Configuration{Context: ctx}
	for i, l := range raw.LinkedDIDs {
		if i == maxLinkedDIDs {
			break
		}
		var jwt string
		if json.Unmarshal(l, &jwt) == nil {
			c.LinkedDIDs = append(c.LinkedDIDs, jwt)
		}
	}
	return c, nil
}

// NormalizeOrigin checks that s is an https origin (scheme and host, optional port, nothing else) and
// returns it in canonical form: lowercase, no trailing slash.
func NormalizeOrigin(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("origin %q: %w", s, err)
	}
	if u.Scheme != "https" || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("origin %q is not an https origin", s)
	}
	return "https://" + strings.ToLower(u.Host), nil
}

// Create issues a Domain Linkage credential (JWT) binding the signer's DID to origin, valid for
// validity from now.
func Create(signer *credential.Signer, origin string, now time.Time, validity time.Duration) (string, error) {
	origin, err := NormalizeOrigin(origin)
	if err != nil {
		return "", err
	}
	did := signer.DID()
	now = now.UTC().Truncate(time.Second)
	exp := now.Add(validity)
	payload := map[string]any{
		"iss": did, "sub": did, "nbf": now.Unix(), "exp": exp.Unix(),
		"vc": map[string]any{
			"@context":          []string{credential.ContextV1, ContextV1},
			"issuer":            did,
			"issuanceDate":      now.Format(time.RFC3339),
			"expirationDate":    exp.Format(time.RFC3339),
			"type":              []string{"VerifiableCredential", CredentialType},
			"credentialSubject": map[string]string{"id": did, "origin": origin},
		},
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return "", err
	}
	return signer.Sign(b, "JWT")
}

// Handler serves a DID configuration with the given Domain Linkage credentials at WellKnownPath.
func Handler(linkedDIDs ...string) http.Handler {
	body, _ := json.Marshal(Configuration{Context: ContextV1, LinkedDIDs: linkedDIDs})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		_, _ = w.Write(body)
	})
}

// Verifier checks links between DIDs and origins.
type Verifier struct {
	Client *web.Client
	// Credentials verifies Domain Linkage credentials (status checking and policy are not used).
	Credentials *credential.Verifier
}

// Origins returns the origins of the document's LinkedDomains services.
func Origins(doc *resolver.Document) []string {
	var out []string
	for _, s := range doc.Service {
		if !s.HasType(ServiceType) {
			continue
		}
		for _, o := range s.Origins() {
			if n, err := NormalizeOrigin(o); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// Verify checks that the resolved DID and origin are linked both ways. The error wraps ErrNotLinked.
func (v *Verifier) Verify(ctx context.Context, did *resolver.Result, origin string) error {
	origin, err := NormalizeOrigin(origin)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotLinked, err)
	}
	listed := false
	for _, o := range Origins(did.Document) {
		listed = listed || o == origin
	}
	if !listed {
		return fmt.Errorf("%w: %s has no LinkedDomains service for %s", ErrNotLinked, did.Document.ID, origin)
	}
	resp, err := v.Client.Get(ctx, origin+WellKnownPath, "application/json")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotLinked, err)
	}
	conf, err := Parse(resp.Body)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotLinked, err)
	}
	cv := *v.Credentials
	cv.Status, cv.IgnoreStatus, cv.Policy = nil, true, nil
	var reasons []string
	for _, jwt := range conf.LinkedDIDs {
		err := checkLinkage(ctx, &cv, jwt, did.Document.ID, origin)
		if err == nil {
			return nil
		}
		reasons = append(reasons, err.Error())
	}
	return fmt.Errorf("%w: no valid Domain Linkage credential for %s at %s (%s)", ErrNotLinked, did.Document.ID, origin, strings.Join(reasons, "; "))
}

func checkLinkage(ctx context.Context, v *credential.Verifier, jwt, did, origin string) error {
	r := v.VerifyCredential(ctx, jwt)
	if !r.Valid {
		return fmt.Errorf("%s: %s", r.Code, r.Detail)
	}
	c := r.Credential
	if c.Issuer != did || c.Subject != did {
		return fmt.Errorf("credential of %s about %s", c.Issuer, c.Subject)
	}
	if len(c.Types) < 2 || !containsType(c.Types, CredentialType) {
		return fmt.Errorf("not a %s", CredentialType)
	}
	var body struct {
		CredentialSubject struct {
			ID     string `json:"id"`
			Origin string `json:"origin"`
		} `json:"credentialSubject"`
	}
	if err := json.Unmarshal(c.Claims, &body); err != nil {
		return err
	}
	if body.CredentialSubject.ID != did {
		return errors.New("credentialSubject.id is not the DID")
	}
	got, err := NormalizeOrigin(body.CredentialSubject.Origin)
	if err != nil || got != origin {
		return fmt.Errorf("origin %q is not %s", body.CredentialSubject.Origin, origin)
	}
	if c.ValidUntil == nil {
		return errors.New("no expiration")
	}
	return nil
}

func containsType(types []string, t string) bool {
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}
