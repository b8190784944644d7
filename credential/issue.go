package credential

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ionode/ionode/resolver"
)

// Format is a VC-JWT encoding.
type Format string

const (
	// FormatJWT is the VC Data Model 1.1 JWT encoding as Microsoft Entra Verified ID and did-jwt-vc use it:
	// typ JWT, the credential in the vc claim, iss/sub/nbf/exp/jti/iat as JWT claims.
	FormatJWT Format = "jwt_vc"
	// FormatVCJWT is VC 2.0 application/vc+jwt (VC-JOSE-COSE): typ vc+jwt, the payload is the credential
	// itself (issuer, validFrom, validUntil, credentialSubject), with consistent JWT claims beside it.
	FormatVCJWT Format = "vc+jwt"
)

// Contexts of the two data model versions.
const (
	ContextV1 = "https://www.w3.org/2018/credentials/v1"
	ContextV2 = "https://www.w3.org/ns/credentials/v2"
)

// Status is a credentialStatus entry (StatusList2021Entry or BitstringStatusListEntry).
type Status struct {
	ID                   string `json:"id,omitempty"`
	Type                 string `json:"type"`
	StatusPurpose        string `json:"statusPurpose"`
	StatusListIndex      string `json:"statusListIndex"`
	StatusListCredential string `json:"statusListCredential"`
}

// Claims describe a credential to issue.
type Claims struct {
	Format   Format   // default FormatJWT
	ID       string   // credential id and jti; default a random urn:uuid
	Types    []string // types besides VerifiableCredential
	Contexts []string // contexts after the data model's base context
	// Subject is credentialSubject; its "id" (the holder's DID) becomes sub.
	Subject    map[string]any
	ValidFrom  time.Time // default now
	ValidUntil time.Time // zero: no expiry
	Status     *Status
	// Extra members of the credential (credentialSchema, evidence, ...). They cannot override the
	// members above.
	Extra map[string]any
}

// Issuer issues credentials and presentations with a Signer.
type Issuer struct {
	Signer *Signer
	Now    func() time.Time // default time.Now
}

func (i *Issuer) now() time.Time {
	if i.Now != nil {
		return i.Now()
	}
	return time.Now()
}

// NewURNUUID returns a random urn:uuid: (version 4).
func NewURNUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return "urn:uuid:" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// Issue signs a credential.
func (i *Issuer) Issue(c Claims) (string, error) {
	if i.Signer == nil {
		return "", errors.New("issuer has no signer")
	}
	now := i.now().Truncate(time.Second)
	if c.ID == "" {
		c.ID = NewURNUUID()
	}
	if c.ValidFrom.IsZero() {
		c.ValidFrom = now
	}
	if !c.ValidUntil.IsZero() && !c.ValidUntil.After(c.ValidFrom) {
		return "", errors.New("validUntil must be after validFrom")
	}
	subject := make(map[string]any, len(c.Subject))
	for k, v := range c.Subject {
		subject[k] = v
	}
	sub, _ := subject["id"].(string)
	vc := make(map[string]any, len(c.Extra)+8)
	for k, v := range c.Extra {
		vc[k] = v
	}
	vc["type"] = append([]string{"VerifiableCredential"}, c.Types...)
	if c.Status != nil {
		vc["credentialStatus"] = c.Status
	}
	iss := i.Signer.DID()
	jwt := map[string]any{"iss": iss, "jti": c.ID, "iat": now.Unix(), "nbf": c.ValidFrom.Unix()}
	if sub != "" {
		jwt["sub"] = sub
	}
	if !c.ValidUntil.IsZero() {
		jwt["exp"] = c.ValidUntil.Unix()
	}
	var payload map[string]any
	typ := "JWT"
	switch c.Format {
	case "", FormatJWT:
		vc["@context"] = append([]string{ContextV1}, c.Contexts...)
		delete(subject, "id") // carried by sub, as Entra and did-jwt-vc write it
		vc["credentialSubject"] = subject
		jwt["vc"] = vc
		payload = jwt
	case FormatVCJWT:
		vc["@context"] = append([]string{ContextV2}, c.Contexts...)
		vc["id"] = c.ID
		vc["issuer"] = iss
		vc["credentialSubject"] = subject
		vc["validFrom"] = c.ValidFrom.UTC().Format(time.RFC3339)
		if !c.ValidUntil.IsZero() {
			vc["validUntil"] = c.ValidUntil.UTC().Format(time.RFC3339)
		}
		for k, v := range jwt {
			vc[k] = v
		}
		payload = vc
		typ = "vc+jwt"
	default:
		return "", fmt.Errorf("unknown format %q", c.Format)
	}
	data, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("credential: %w", err)
	}
	return i.Signer.Sign(data, typ)
}

// Present signs a VP-JWT (VC Data Model 1.1 JWT encoding) holding credentials, for audience and nonce,
// valid for ttl (default 5 minutes). The signer's key must be in the holder's authentication
// relationship for verifiers to accept it.
func (i *Issuer) Present(credentials []string, audience, nonce string, ttl time.Duration) (string, error) {
	if i.Signer == nil {
		return "", errors.New("holder has no signer")
	}
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	now := i.now().Truncate(time.Second)
	if credentials == nil {
		credentials = []string{}
	}
	payload := map[string]any{
		"iss": i.Signer.DID(), "aud": audience, "nonce": nonce, "jti": NewURNUUID(),
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(ttl).Unix(),
		"vp": map[string]any{
			"@context":             []string{ContextV1},
			"type":                 []string{"VerifiablePresentation"},
			"verifiableCredential": credentials,
		},
	}
	if nonce == "" {
		delete(payload, "nonce")
	}
	data, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("presentation: %w", err)
	}
	return i.Signer.Sign(data, "JWT")
}

// DIDResolver resolves DIDs (*resolver.Dispatcher).
type DIDResolver interface {
	Resolve(ctx context.Context, did string) (*resolver.Result, error)
}

// ErrKeyMismatch is returned by CheckAuthorized when the DID document holds another key under the kid.
var ErrKeyMismatch = errors.New("key mismatch")

// CheckAuthorized resolves the signer's DID and checks that its kid is a verification method in the
// relationship (resolver.AssertionMethod for issuers, resolver.Authentication for holders) holding the
// signer's public key. Issuers call it once at start-up, so they never sign what verifiers will refuse.
func (s *Signer) CheckAuthorized(ctx context.Context, r DIDResolver, relationship string) error {
	res, err := r.Resolve(ctx, s.DID())
	if err != nil {
		return fmt.Errorf("resolve %s: %w", s.DID(), err)
	}
	vm, err := res.Document.FindMethod(s.KID, relationship)
	if err != nil {
		return err
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return err
	}
	want, _ := equalKeys(pub, s.Public())
	if !want {
		return fmt.Errorf("%w: the DID document's key %s is not the signer's (%s)", ErrKeyMismatch, s.KID, s.key.Name())
	}
	return nil
}
