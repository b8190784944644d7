package sdjwt

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ionode/ionode/credential"
)

// KeyBinding is what a holder signs a presentation for: the verifier's audience and nonce.
type KeyBinding struct {
	// Signer holds the key the credential's cnf names (a key-only signer for cnf.jwk, the DID URL's
	// signer for cnf.kid).
	Signer   *credential.Signer
	Audience string
	Nonce    string
	Now      time.Time // iat; default now
}

// Present makes a presentation of an issued SD-JWT with the Disclosures the paths select (the syntax
// of Claims.Disclosable; a path selects the claim, everything disclosable inside it, and the
// Disclosures that contain it), and a KB-JWT when kb is not nil. It does not verify the issuer's
// signature: the holder checks its credentials with a Verifier when it receives them.
func Present(issued string, disclose []string, kb *KeyBinding) (string, error) {
	s, p, err := openIssued(issued)
	if err != nil {
		return "", err
	}
	want := make([][]string, 0, len(disclose))
	for _, d := range disclose {
		if d = strings.TrimSpace(d); d != "" {
			want = append(want, strings.Split(d, "."))
		}
	}
	out := &SDJWT{JWT: s.JWT}
	for i, enc := range s.Disclosures {
		if selected(p.paths[i], want) {
			out.Disclosures = append(out.Disclosures, enc)
		}
	}
	if kb == nil {
		return out.String(), nil
	}
	if kb.Signer == nil {
		return "", errors.New("key binding needs the holder's signer")
	}
	now := kb.Now
	if now.IsZero() {
		now = time.Now()
	}
	claims := map[string]any{"iat": now.Unix(), "aud": kb.Audience, "nonce": kb.Nonce, "sd_hash": out.SDHash()}
	data, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	if out.KBJWT, err = kb.Signer.Sign(data, TypKB); err != nil {
		return "", err
	}
	return out.String(), nil
}

// openIssued parses an issued SD-JWT (without a KB-JWT) and applies all its Disclosures, without
// verifying the issuer's signature: what a holder does with its own credential.
func openIssued(issued string) (*SDJWT, *processed, error) {
	s, err := Parse(issued)
	if err != nil {
		return nil, nil, err
	}
	if s.KBJWT != "" {
		return nil, nil, errors.New("the SD-JWT already carries a KB-JWT")
	}
	tok, err := credential.ParseJWS(s.JWT, nil)
	if err != nil {
		return nil, nil, err
	}
	var payload map[string]any
	if err := decodeJSON(tok.Payload(), &payload); err != nil {
		return nil, nil, fmt.Errorf("issuer-signed JWT payload: %w", err)
	}
	p, err := process(payload, s.Disclosures)
	if err != nil {
		return nil, nil, err
	}
	return s, p, nil
}

// HolderClaims returns an issued SD-JWT's claims with every Disclosure applied, without verifying the
// issuer's signature: a wallet reads its own credential to choose what to present (DCQL claims and
// values are matched against all it could disclose).
func HolderClaims(issued string) (map[string]any, error) {
	_, p, err := openIssued(issued)
	if err != nil {
		return nil, err
	}
	return p.claims, nil
}

// selected reports whether a Disclosure at path is needed for one of the wanted paths: it is the
// claim, inside it, or on the way to it.
func selected(path Path, want [][]string) bool {
	for _, w := range want {
		match := true
		for i := 0; i < len(w) && i < len(path); i++ {
			seg := ""
			switch x := path[i].(type) {
			case string:
				seg = x
			case int:
				seg = strconv.Itoa(x)
			}
			if w[i] != seg && !(w[i] == "*" && isIndex(path[i])) {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

func isIndex(s any) bool { _, ok := s.(int); return ok }
