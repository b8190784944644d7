package tokenstatus

import (
	"encoding/json"
	"time"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/status"
)

// Typ is the JWS typ of a status list token; ContentType the media type it is served with.
const (
	Typ         = "statuslist+jwt"
	ContentType = "application/statuslist+jwt"
)

// MaxTokenLength bounds the tokens we parse (a 2 MiB list compresses far below).
const MaxTokenLength = 1 << 20

// Signer signs the node's TokenStatusList lists as status list tokens (status.TokenSigner).
type Signer struct {
	Signer *credential.Signer
	// Issuer is the iss claim; default the Signer's DID. It must be the iss of the credentials whose
	// status the list carries.
	Issuer string
}

// SignToken implements status.TokenSigner: a revocation list as 1-bit Invalid values, a suspension
// list as 2-bit Suspended values.
func (s *Signer) SignToken(l *status.List, uri string, now time.Time, validity, ttl time.Duration) (string, error) {
	value := Invalid
	if l.Purpose == "suspension" {
		value = Suspended
	}
	list, err := FromBitstring(l.Bits, value)
	if err != nil {
		return "", err
	}
	lst, err := list.Encode()
	if err != nil {
		return "", err
	}
	iss := s.Issuer
	if iss == "" {
		iss = s.Signer.DID()
	}
	claims := map[string]any{
		"iss": iss, "sub": uri, "iat": now.Unix(), "exp": now.Add(validity).Unix(), "ttl": int64(ttl.Seconds()),
		"status_list": map[string]any{"bits": list.Bits, "lst": lst},
	}
	b, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	return s.Signer.Sign(b, Typ)
}

// Token is a parsed status list token, its signature not yet verified.
type Token struct {
	JWS  *credential.JWS
	Iss  string
	Sub  string
	Iat  time.Time
	Exp  *time.Time
	TTL  time.Duration // 0: none given
	List *List
}

// ParseToken parses a status list token: typ statuslist+jwt, sub, iat, and a status_list that decodes
// within bounds. A failure is a *credential.Failure with CodeStatusUnavailable.
func ParseToken(raw string) (*Token, error) {
	if len(raw) > MaxTokenLength {
		return nil, unavailable("status list token longer than %d bytes", MaxTokenLength)
	}
	jws, err := credential.ParseJWS(raw, nil)
	if err != nil {
		return nil, unavailable("status list token: %w", err)
	}
	if jws.Header().Typ != Typ {
		return nil, unavailable("status list token typ %q is not %s", credential.Truncate(jws.Header().Typ), Typ)
	}
	var c struct {
		Iss        string                  `json:"iss"`
		Sub        string                  `json:"sub"`
		Iat        *credential.NumericDate `json:"iat"`
		Exp        *credential.NumericDate `json:"exp"`
		TTL        *int64                  `json:"ttl"`
		StatusList *struct {
			Bits int    `json:"bits"`
			Lst  string `json:"lst"`
		} `json:"status_list"`
	}
	if err := json.Unmarshal(jws.Payload(), &c); err != nil {
		return nil, unavailable("status list token claims: %w", err)
	}
	if c.Sub == "" || c.Iat == nil || c.StatusList == nil {
		return nil, unavailable("status list token lacks sub, iat or status_list")
	}
	t := &Token{JWS: jws, Iss: c.Iss, Sub: c.Sub, Iat: c.Iat.Time}
	if c.Exp != nil {
		exp := c.Exp.Time
		t.Exp = &exp
	}
	if c.TTL != nil {
		if *c.TTL < 0 || *c.TTL > 1<<31 {
			return nil, unavailable("status list token ttl %d out of range", *c.TTL)
		}
		t.TTL = time.Duration(*c.TTL) * time.Second
	}
	if t.List, err = Decode(c.StatusList.Bits, c.StatusList.Lst); err != nil {
		return nil, unavailable("status list token: %w", err)
	}
	return t, nil
}

func unavailable(format string, args ...any) error {
	return credential.NewFailure(credential.CodeStatusUnavailable, format, args...)
}
