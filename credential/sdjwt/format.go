package sdjwt

import (
	"fmt"
	"strings"

	"github.com/ionode/ionode/credential"
)

// Bounds on what the parser accepts from outside. A presentation of a large PID with every claim
// disclosed stays far below them.
const (
	// MaxLength bounds a whole SD-JWT (with Disclosures and KB-JWT).
	MaxLength = 512 << 10
	// MaxDisclosures bounds the number of Disclosures.
	MaxDisclosures = 1024
	// MaxDepth bounds the nesting of JSON objects and arrays in the payload and Disclosures.
	MaxDepth = 32
)

// SDJWT is a parsed compact SD-JWT or SD-JWT+KB (RFC 9901 Section 4): the Issuer-signed JWT, the
// encoded Disclosures in order, and the KB-JWT ("" when absent). Nothing is verified by parsing.
type SDJWT struct {
	JWT         string
	Disclosures []string
	KBJWT       string
}

// Is reports whether s is in the SD-JWT serialization (a JWT followed by "~"), which tells an SD-JWT VC
// from a VC-JWT before either is parsed.
func Is(s string) bool { return strings.Contains(s, "~") }

// Parse splits a compact SD-JWT. It checks the form (tildes, non-empty parts, bounds), not the contents.
// A failure is a *credential.Failure with CodeInvalidJWT.
func Parse(raw string) (*SDJWT, error) {
	raw = strings.TrimSpace(raw)
	if len(raw) > MaxLength {
		return nil, fail(credential.CodeInvalidJWT, "SD-JWT longer than %d bytes", MaxLength)
	}
	if strings.Count(raw, "~") > MaxDisclosures+1 {
		return nil, fail(credential.CodeInvalidJWT, "more than %d disclosures", MaxDisclosures)
	}
	parts := strings.Split(raw, "~")
	if len(parts) < 2 {
		return nil, fail(credential.CodeInvalidJWT, "not an SD-JWT: no ~ after the issuer-signed JWT")
	}
	s := &SDJWT{JWT: parts[0], KBJWT: parts[len(parts)-1], Disclosures: parts[1 : len(parts)-1]}
	if s.JWT == "" {
		return nil, fail(credential.CodeInvalidJWT, "empty issuer-signed JWT")
	}
	for i, d := range s.Disclosures {
		if d == "" {
			return nil, fail(credential.CodeInvalidJWT, "disclosure %d is empty", i+1)
		}
	}
	return s, nil
}

// String serializes the SD-JWT (with a trailing ~ when there is no KB-JWT).
func (s *SDJWT) String() string {
	var b strings.Builder
	b.WriteString(s.JWT)
	b.WriteByte('~')
	for _, d := range s.Disclosures {
		b.WriteString(d)
		b.WriteByte('~')
	}
	b.WriteString(s.KBJWT)
	return b.String()
}

// SDHash is the sd_hash a KB-JWT carries for this presentation: the digest of everything up to and
// including the last ~ (RFC 9901 Section 4.3.1).
func (s *SDJWT) SDHash() string {
	c := *s
	c.KBJWT = ""
	return digest(c.String())
}

// checkDepth refuses JSON values nested deeper than MaxDepth.
func checkDepth(v any, depth int) error {
	if depth > MaxDepth {
		return fmt.Errorf("nested deeper than %d", MaxDepth)
	}
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			if err := checkDepth(e, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := checkDepth(e, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}
