package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/linkeddomains"
	"github.com/ionode/ionode/resolver"
)

// Rule trusts issuers for credential types.
type Rule struct {
	CredentialTypes []string `json:"credentialTypes"`
	DIDs            []string `json:"dids,omitempty"`
	LinkedDomains   []string `json:"linkedDomains,omitempty"`
}

// File is the policy file's content.
type File struct {
	TrustedIssuers []Rule `json:"trustedIssuers"`
}

// Policy implements credential.Policy.
type Policy struct {
	Rules []Rule
	// Links verifies linked domains; required when a rule has LinkedDomains.
	Links *linkeddomains.Verifier
	// LinkTTL is how long a verified (or failed) link is remembered; default 10 minutes.
	LinkTTL time.Duration
	Now     func() time.Time

	once  sync.Once
	links *linkeddomains.Cache
}

// Load reads a policy file.
func Load(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse reads a policy document, checking DIDs and origins.
func Parse(data []byte) (*Policy, error) {
	var f File
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("trust policy: %w", err)
	}
	for i, r := range f.TrustedIssuers {
		if len(r.CredentialTypes) == 0 {
			return nil, fmt.Errorf("trust policy rule %d: no credentialTypes", i)
		}
		if len(r.DIDs) == 0 && len(r.LinkedDomains) == 0 {
			return nil, fmt.Errorf("trust policy rule %d: neither dids nor linkedDomains", i)
		}
		for _, d := range r.DIDs {
			if _, err := resolver.MethodName(d); err != nil {
				return nil, fmt.Errorf("trust policy rule %d: %w", i, err)
			}
		}
		for j, o := range r.LinkedDomains {
			n, err := linkeddomains.NormalizeOrigin(o)
			if err != nil {
				return nil, fmt.Errorf("trust policy rule %d: %w", i, err)
			}
			f.TrustedIssuers[i].LinkedDomains[j] = n
		}
	}
	return &Policy{Rules: f.TrustedIssuers}, nil
}

// Check names of the policy.
const (
	CheckRule   = "trust_rule"
	CheckDomain = "domain_linkage"
)

// Evaluate implements credential.Policy.
func (p *Policy) Evaluate(ctx context.Context, issuer *resolver.Result, types []string) ([]credential.Check, error) {
	did := issuer.Document.ID
	var checks []credential.Check
	var domainErr error
	matched := false
	claimed := linkeddomains.Origins(issuer.Document)
	for _, r := range p.Rules {
		if !appliesTo(r, types) {
			continue
		}
		matched = true
		for _, d := range r.DIDs {
			if d == did {
				return append(checks, credential.Check{Name: CheckRule, Outcome: credential.Pass, Detail: "issuer DID listed"}), nil
			}
		}
		for _, origin := range r.LinkedDomains {
			if !contains(claimed, origin) {
				continue
			}
			if err := p.link(ctx, issuer, origin); err != nil {
				checks = append(checks, credential.Check{Name: CheckDomain, Outcome: credential.Fail, Detail: err.Error()})
				domainErr = err
				continue
			}
			checks = append(checks, credential.Check{Name: CheckDomain, Outcome: credential.Pass, Detail: origin})
			return append(checks, credential.Check{Name: CheckRule, Outcome: credential.Pass, Detail: "linked domain " + origin}), nil
		}
	}
	switch {
	case domainErr != nil:
		return checks, &credential.Failure{Code: credential.CodeDomainNotLinked, Detail: domainErr.Error(), Err: domainErr}
	case !matched:
		return checks, &credential.Failure{Code: credential.CodeUntrustedIssuer, Detail: fmt.Sprintf("no trust rule for types %v", types)}
	}
	return checks, &credential.Failure{Code: credential.CodeUntrustedIssuer, Detail: fmt.Sprintf("%s is not trusted for %v", did, types)}
}

func appliesTo(r Rule, types []string) bool {
	for _, t := range r.CredentialTypes {
		if t == "*" {
			return true
		}
		if t != "VerifiableCredential" && contains(types, t) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// link verifies (with a cache) that the issuer is linked to origin.
func (p *Policy) link(ctx context.Context, issuer *resolver.Result, origin string) error {
	if p.Links == nil {
		return fmt.Errorf("%w: no linked domain verifier configured", linkeddomains.ErrNotLinked)
	}
	p.once.Do(func() { p.links = &linkeddomains.Cache{Verifier: p.Links, TTL: p.LinkTTL, Now: p.Now} })
	return p.links.Verify(ctx, issuer, origin)
}
