package sdjwt

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/resolver"
)

// Format and JWS typ of SD-JWT VCs.
const (
	// Format is the credential format identifier of SD-JWT VC (OpenID4VCI, OpenID4VP, DCQL).
	Format = "dc+sd-jwt"
	// TypVC is the typ of an SD-JWT VC's Issuer-signed JWT; TypVCLegacy the one drafts before -06 used.
	TypVC       = "dc+sd-jwt"
	TypVCLegacy = "vc+sd-jwt"
	// TypKB is the typ of a Key Binding JWT.
	TypKB = "kb+jwt"
)

// StatusListRef is a credential's entry in an IETF Token Status List (status.status_list).
type StatusListRef struct {
	Index int    `json:"idx"`
	URI   string `json:"uri"`
}

// Claims describe an SD-JWT VC to issue.
type Claims struct {
	// VCT is the credential type (vct), e.g. https://credentials.example.com/identity_credential.
	VCT string
	// Claims are the credential's claims (given_name, address, ...). They must not use the names the
	// issuer sets (iss, iat, nbf, exp, vct, cnf, status, _sd, _sd_alg).
	Claims map[string]any
	// Disclosable are the paths of the claims to make selectively disclosable: members separated by
	// dots, an array element by its index or * for every element: "given_name", "address",
	// "address.street_address", "nationalities.*", "nationalities.0". A claim inside a disclosable claim
	// is disclosable on its own too (recursive disclosure).
	Disclosable []string
	// HolderKey binds the credential to a public key (cnf.jwk); HolderKID to a DID URL (cnf.kid).
	HolderKey crypto.PublicKey
	HolderKID string
	Subject   string    // sub, when set
	ValidFrom time.Time // nbf; default now
	// ValidUntil is exp; zero: no expiry.
	ValidUntil time.Time
	Status     *StatusListRef
}

// Issuer issues SD-JWT VCs. Set Signer; the other fields are optional.
type Issuer struct {
	Signer *credential.Signer
	// ID is the iss claim; default the Signer's DID. An https URL issuer publishes its keys as JWT VC
	// issuer metadata (/.well-known/jwt-vc-issuer).
	ID string
	// NoDecoys leaves out decoy digests. By default every object and array with disclosable claims gets
	// one to three decoys, so that the number of claims it holds is not given away.
	NoDecoys bool
	Now      func() time.Time
}

// reservedClaims are set by the issuer, never by the claims, and never selectively disclosable (SD-JWT
// VC Section 3.2.2).
var reservedClaims = []string{"iss", "iat", "nbf", "exp", "vct", "vct#integrity", "cnf", "status", "_sd", "_sd_alg", "..."}

// ReservedClaim reports whether name is a claim the issuer sets (or the SD-JWT's own structure), which
// Claims.Claims must not carry.
func ReservedClaim(name string) bool { return slices.Contains(reservedClaims, name) }

// Issue signs an SD-JWT VC and returns it with all its Disclosures (iss-signed-JWT~d1~…~dn~).
func (i *Issuer) Issue(_ context.Context, c Claims) (string, error) {
	if i.Signer == nil {
		return "", errors.New("issuer has no signer")
	}
	if c.VCT == "" {
		return "", errors.New("vct is required")
	}
	if c.HolderKey != nil && c.HolderKID != "" {
		return "", errors.New("give the holder's key or its DID URL, not both")
	}
	now := time.Now()
	if i.Now != nil {
		now = i.Now()
	}
	now = now.Truncate(time.Second)
	if c.ValidFrom.IsZero() {
		c.ValidFrom = now
	}
	if !c.ValidUntil.IsZero() && !c.ValidUntil.After(c.ValidFrom) {
		return "", errors.New("validUntil must be after validFrom")
	}
	payload := make(map[string]any, len(c.Claims)+8)
	for k, v := range c.Claims {
		if slices.Contains(reservedClaims, k) {
			return "", fmt.Errorf("claim %q is set by the issuer", k)
		}
		// A JSON round trip gives the generic form (maps, slices, json.Number) the selection walks.
		b, err := json.Marshal(v)
		if err != nil {
			return "", fmt.Errorf("claim %q: %w", k, err)
		}
		var g any
		if err := decodeJSON(b, &g); err != nil {
			return "", fmt.Errorf("claim %q: %w", k, err)
		}
		payload[k] = g
	}
	sel, err := parseSelection(c.Disclosable)
	if err != nil {
		return "", err
	}
	b := &builder{decoys: !i.NoDecoys}
	obj, err := b.object(payload, sel, "")
	if err != nil {
		return "", err
	}
	if err := sel.unused(""); err != nil {
		return "", err
	}
	iss := i.ID
	if iss == "" {
		iss = i.Signer.DID()
	}
	obj["iss"] = iss
	obj["iat"] = now.Unix()
	obj["nbf"] = c.ValidFrom.Unix()
	obj["vct"] = c.VCT
	obj["_sd_alg"] = HashAlg
	if c.Subject != "" {
		obj["sub"] = c.Subject
	}
	if !c.ValidUntil.IsZero() {
		obj["exp"] = c.ValidUntil.Unix()
	}
	switch {
	case c.HolderKey != nil:
		jwk, err := resolver.MarshalJWK(c.HolderKey)
		if err != nil {
			return "", fmt.Errorf("holder key: %w", err)
		}
		obj["cnf"] = map[string]any{"jwk": json.RawMessage(jwk)}
	case c.HolderKID != "":
		if did, frag := resolver.SplitDIDURL(c.HolderKID); !strings.HasPrefix(did, "did:") || !strings.HasPrefix(frag, "#") {
			return "", fmt.Errorf("holder kid %q is not a DID URL with a fragment", c.HolderKID)
		}
		obj["cnf"] = map[string]any{"kid": c.HolderKID}
	}
	if c.Status != nil {
		if c.Status.Index < 0 || c.Status.URI == "" {
			return "", errors.New("status list entry needs an index and a URI")
		}
		obj["status"] = map[string]any{"status_list": c.Status}
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return "", fmt.Errorf("payload: %w", err)
	}
	jwt, err := i.Signer.Sign(data, TypVC)
	if err != nil {
		return "", err
	}
	out := &SDJWT{JWT: jwt, Disclosures: b.disclosures}
	return out.String(), nil
}

// selection is the tree of disclosable paths.
type selection struct {
	here     bool // this claim is disclosable
	children map[string]*selection
	used     bool
}

func parseSelection(paths []string) (*selection, error) {
	root := &selection{}
	for _, p := range paths {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		n := root
		for j, seg := range strings.Split(p, ".") {
			if seg == "" {
				return nil, fmt.Errorf("disclosable path %q has an empty segment", p)
			}
			if j == 0 && slices.Contains(reservedClaims, seg) {
				return nil, fmt.Errorf("claim %q cannot be selectively disclosable", seg)
			}
			if n.children == nil {
				n.children = map[string]*selection{}
			}
			c, ok := n.children[seg]
			if !ok {
				c = &selection{}
				n.children[seg] = c
			}
			n = c
		}
		n.here = true
	}
	return root, nil
}

// child is the selection for an object member or array element (by index or *).
func (s *selection) child(key string, arrayElem bool) *selection {
	if s == nil {
		return nil
	}
	c := s.children[key]
	if arrayElem {
		if star := s.children["*"]; star != nil {
			star.used = true
			if c == nil {
				return star
			}
		}
	}
	if c != nil {
		c.used = true
	}
	return c
}

// unused reports a path that matched no claim, so a typo does not silently leave a claim in the clear.
func (s *selection) unused(prefix string) error {
	for k, c := range s.children {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		if !c.used {
			return fmt.Errorf("disclosable path %q matches no claim", p)
		}
		if err := c.unused(p); err != nil {
			return err
		}
	}
	return nil
}

// builder replaces disclosable claims by digests, bottom up, collecting the Disclosures.
type builder struct {
	decoys      bool
	disclosures []string
}

func (b *builder) value(v any, sel *selection, path string) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		return b.object(x, sel, path)
	case []any:
		return b.array(x, sel, path)
	}
	return v, nil
}

func (b *builder) object(obj map[string]any, sel *selection, path string) (map[string]any, error) {
	out := make(map[string]any, len(obj))
	var digests []string
	for k, v := range obj {
		if k == "_sd" || k == "..." {
			return nil, fmt.Errorf("claim name %q is reserved", k)
		}
		cs := sel.child(k, false)
		pv, err := b.value(v, cs, join(path, k))
		if err != nil {
			return nil, err
		}
		if cs == nil || !cs.here {
			out[k] = pv
			continue
		}
		d, err := newDisclosure(k, pv, false)
		if err != nil {
			return nil, err
		}
		b.disclosures = append(b.disclosures, d.Encoded)
		digests = append(digests, d.Digest())
	}
	if len(digests) > 0 {
		if b.decoys {
			digests = append(digests, decoys()...)
		}
		slices.Sort(digests) // sorted, so the order does not tell which claim a digest hides
		out["_sd"] = digests
	}
	return out, nil
}

func (b *builder) array(arr []any, sel *selection, path string) ([]any, error) {
	out := make([]any, 0, len(arr))
	disclosed := false
	for i, v := range arr {
		cs := sel.child(strconv.Itoa(i), true)
		pv, err := b.value(v, cs, join(path, strconv.Itoa(i)))
		if err != nil {
			return nil, err
		}
		if cs == nil || !cs.here {
			out = append(out, pv)
			continue
		}
		d, err := newDisclosure("", pv, true)
		if err != nil {
			return nil, err
		}
		b.disclosures = append(b.disclosures, d.Encoded)
		out = append(out, map[string]any{"...": d.Digest()})
		disclosed = true
	}
	if disclosed && b.decoys {
		for _, dg := range decoys() {
			at := randInt(len(out) + 1)
			out = slices.Insert(out, at, any(map[string]any{"...": dg}))
		}
	}
	return out, nil
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// decoys returns one to three decoy digests: digests of random salts (RFC 9901 Section 4.2.5).
func decoys() []string {
	n := 1 + randInt(3)
	out := make([]string, n)
	for i := range out {
		out[i] = digest(newSalt())
	}
	return out
}

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		return 0
	}
	return int(v.Int64())
}
