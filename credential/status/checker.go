package status

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/resolver/web"
)

// Checker is the verifier side: it implements credential.StatusChecker by fetching status list
// credentials over the SSRF-safe client, verifying them (signature by a key in the issuer's
// assertionMethod, validity period, type, purpose), requiring their issuer to be the credential's
// issuer, and reading the bit. Decoded lists are cached per URL for TTL (never beyond the list
// credential's validUntil).
type Checker struct {
	Client *web.Client
	// Verifier verifies list credentials; its status checking and policy are not used.
	Verifier *credential.Verifier
	TTL      time.Duration // default 5 minutes
	// MaxCached bounds the number of cached lists; default 256.
	MaxCached int

	mu    sync.Mutex
	cache map[string]cachedList
	group singleflight.Group
}

type cachedList struct {
	issuer  string
	purpose string
	kind    Kind
	bits    Bitstring
	expires time.Time
}

func (c *Checker) now() time.Time {
	if c.Verifier != nil && c.Verifier.Now != nil {
		return c.Verifier.Now()
	}
	return time.Now()
}

func unavailable(format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &credential.Failure{Code: credential.CodeStatusUnavailable, Detail: err.Error(), Err: err}
}

// CheckStatus implements credential.StatusChecker.
func (c *Checker) CheckStatus(ctx context.Context, issuer string, entry credential.Status) error {
	kind, ok := KindOfEntry(entry.Type)
	if !ok {
		return unavailable("unsupported credentialStatus type %q", entry.Type)
	}
	index, err := strconv.Atoi(entry.StatusListIndex)
	if err != nil || index < 0 || strconv.Itoa(index) != entry.StatusListIndex {
		return unavailable("statusListIndex %q is not a non-negative integer", entry.StatusListIndex)
	}
	list, err := c.list(ctx, entry.StatusListCredential)
	if err != nil {
		return err
	}
	switch {
	case list.kind != kind:
		return unavailable("%s entry points at a %s list", entry.Type, list.kind)
	case list.issuer != issuer:
		return unavailable("status list issued by %s, not by the credential's issuer %s", list.issuer, issuer)
	case list.purpose != entry.StatusPurpose:
		return unavailable("status list purpose %q, entry purpose %q", list.purpose, entry.StatusPurpose)
	}
	set, err := list.bits.Get(index)
	if err != nil {
		return unavailable("%v", err)
	}
	if set {
		return &credential.Failure{Code: credential.CodeRevoked, Detail: fmt.Sprintf("%s bit %d of %s is set", entry.StatusPurpose, index, entry.StatusListCredential)}
	}
	return nil
}

func (c *Checker) list(ctx context.Context, url string) (*cachedList, error) {
	now := c.now()
	c.mu.Lock()
	if l, ok := c.cache[url]; ok && now.Before(l.expires) {
		c.mu.Unlock()
		return &l, nil
	}
	c.mu.Unlock()
	v, err, _ := c.group.Do(url, func() (any, error) { return c.fetch(ctx, url) })
	if err != nil {
		return nil, err
	}
	return v.(*cachedList), nil
}

func (c *Checker) fetch(ctx context.Context, url string) (*cachedList, error) {
	if c.Client == nil || c.Verifier == nil {
		return nil, unavailable("status checker not configured")
	}
	resp, err := c.Client.Get(ctx, url, "application/vc+jwt, application/jwt, application/vc, application/json")
	if err != nil {
		return nil, unavailable("fetch status list: %w", err)
	}
	jwt := string(bytes.TrimSpace(resp.Body))
	if strings.HasPrefix(jwt, `"`) { // a JSON string holding the JWT
		_ = json.Unmarshal([]byte(jwt), &jwt)
	}
	v := *c.Verifier
	v.Status, v.IgnoreStatus, v.Policy = nil, true, nil
	r := v.VerifyCredential(ctx, jwt)
	if !r.Valid {
		return nil, unavailable("status list credential %s: %s: %s", url, r.Code, r.Detail)
	}
	l, err := parseListCredential(r.Credential.Claims, r.Credential.Types)
	if err != nil {
		return nil, unavailable("status list credential %s: %w", url, err)
	}
	l.issuer = r.Credential.Issuer
	ttl := c.TTL
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	l.expires = c.now().Add(ttl)
	if until := r.Credential.ValidUntil; until != nil && until.Before(l.expires) {
		l.expires = *until
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cache == nil {
		c.cache = map[string]cachedList{}
	}
	limit := c.MaxCached
	if limit <= 0 {
		limit = 256
	}
	if len(c.cache) >= limit {
		now := c.now()
		for k, old := range c.cache {
			if !now.Before(old.expires) {
				delete(c.cache, k)
			}
		}
		for k := range c.cache { // still full: drop one (map order is arbitrary)
			if len(c.cache) < limit {
				break
			}
			delete(c.cache, k)
		}
	}
	c.cache[url] = *l
	return l, nil
}

// parseListCredential reads the list of a verified status list credential (the vc claim or VC 2.0
// payload) whose types are given.
func parseListCredential(claims json.RawMessage, types []string) (*cachedList, error) {
	var body struct {
		CredentialSubject struct {
			Type          string `json:"type"`
			StatusPurpose string `json:"statusPurpose"`
			EncodedList   string `json:"encodedList"`
		} `json:"credentialSubject"`
	}
	if err := json.Unmarshal(claims, &body); err != nil {
		return nil, fmt.Errorf("credentialSubject: %w", err)
	}
	var kind Kind
	for _, k := range []Kind{StatusList2021, BitstringStatusList} {
		for _, t := range types {
			if t == k.CredentialType() {
				kind = k
			}
		}
	}
	s := body.CredentialSubject
	if kind == "" || s.Type != string(kind) {
		return nil, fmt.Errorf("not a status list credential (types %v, subject type %q)", types, s.Type)
	}
	bits, err := Decode(s.EncodedList, kind)
	if err != nil {
		return nil, err
	}
	return &cachedList{purpose: s.StatusPurpose, kind: kind, bits: bits}, nil
}
