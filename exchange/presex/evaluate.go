package presex

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Errors of Evaluate, matched with errors.Is.
var (
	// ErrDefinition: the submission answers another definition, or names an unknown input descriptor.
	ErrDefinition = errors.New("submission does not answer the definition")
	// ErrUnanswered: an input descriptor has no entry in the descriptor_map (in a definition without
	// submission requirements; with them, ErrRequirement says which is not met).
	ErrUnanswered = errors.New("input descriptor not answered")
	// ErrFormat: an entry's format is not a VC-JWT inside a VP-JWT.
	ErrFormat = errors.New("unsupported format")
	// ErrNotFound: a path names nothing in the vp_token, or not a JWT.
	ErrNotFound = errors.New("path names no presentation or credential")
	// ErrConstraint: the credential found fails the input descriptor's constraints.
	ErrConstraint = errors.New("credential does not meet the input descriptor")
)

// Decoder returns the claims of a JWT met in the vp_token (decoded into any by encoding/json), without
// checking its signature: the caller verifies the presentations Evaluate selects.
type Decoder func(jwt string) (map[string]any, error)

// Match is the answer to one input descriptor.
type Match struct {
	DescriptorID  string
	Descriptor    int            // its index in the definition's input_descriptors
	Presentation  string         // the VP-JWT the entry's path names
	CredentialJWT string         // the VC-JWT its path_nested names
	Credential    map[string]any // that VC-JWT's claims
}

// Evaluate follows each descriptor_map entry of s into vpToken (the vp_token decoded into any: a VP-JWT
// string or an array of them) and checks the credential it finds against the input descriptor of def
// it answers. The answered input descriptors must meet the definition's submission requirements or,
// without any, be all of them.
func Evaluate(def *Definition, s *Submission, vpToken any, decode Decoder) ([]Match, error) {
	matches, err := Select(def, s, vpToken, decode)
	if err != nil {
		return nil, err
	}
	for _, m := range matches {
		if err := def.InputDescriptors[m.Descriptor].Constraints.Check(m.Credential); err != nil {
			return nil, fmt.Errorf("%s: %w", m.DescriptorID, err)
		}
	}
	return matches, nil
}

// Select is Evaluate without the constraints: for a caller that checks them on the credentials once
// their signatures are verified (Constraints.Check).
func Select(def *Definition, s *Submission, vpToken any, decode Decoder) ([]Match, error) {
	if s.DefinitionID != def.ID {
		return nil, fmt.Errorf("%w: definition_id %q, want %q", ErrDefinition, s.DefinitionID, def.ID)
	}
	matches := make([]Match, 0, len(s.DescriptorMap))
	for i := range s.DescriptorMap {
		d := &s.DescriptorMap[i]
		k := slices.IndexFunc(def.InputDescriptors, func(in InputDescriptor) bool { return in.ID == d.ID })
		if k < 0 {
			return nil, fmt.Errorf("%w: no input descriptor %q", ErrDefinition, d.ID)
		}
		m, err := follow(d, vpToken, decode)
		if err != nil {
			return nil, fmt.Errorf("descriptor_map[%d] (%s): %w", i, d.ID, err)
		}
		m.Descriptor = k
		matches = append(matches, m)
	}
	answered := make([]bool, len(def.InputDescriptors))
	for _, m := range matches {
		answered[m.Descriptor] = true
	}
	if err := def.Satisfies(answered); err != nil {
		return nil, err
	}
	return matches, nil
}

// follow resolves one entry: its path names a VP-JWT in the vp_token, and its path_nested a VC-JWT in
// that presentation's claims. A nested path is read against the claims and, failing that, against their
// vp member, so both `$.verifiableCredential[0]` (the presentation's own shape, what most wallets write)
// and `$.vp.verifiableCredential[0]` (the JWT claims' shape) work.
func follow(d *Descriptor, vpToken any, decode Decoder) (Match, error) {
	if d.Format != FormatJWTVP && d.Format != FormatJWTVPJSON {
		return Match{}, fmt.Errorf("%w: %q (want %s or %s)", ErrFormat, d.Format, FormatJWTVPJSON, FormatJWTVP)
	}
	n := d.PathNested
	if n == nil || (n.Format != FormatJWTVC && n.Format != FormatJWTVCJSON) {
		return Match{}, fmt.Errorf("%w: a presentation entry needs a path_nested of format %s or %s", ErrFormat, FormatJWTVCJSON, FormatJWTVC)
	}
	if n.ID != d.ID {
		return Match{}, fmt.Errorf("%w: path_nested id %q differs from %q", ErrDefinition, n.ID, d.ID)
	}
	vp, err := jwtAt(d.Path, vpToken)
	if err != nil {
		return Match{}, err
	}
	vpClaims, err := decode(vp)
	if err != nil {
		return Match{}, fmt.Errorf("%w: %s: %w", ErrNotFound, d.Path, err)
	}
	vc, err := jwtAt(n.Path, vpClaims)
	if inner, ok := vpClaims["vp"].(map[string]any); err != nil && ok {
		vc, err = jwtAt(n.Path, inner)
	}
	if err != nil {
		return Match{}, err
	}
	vcClaims, err := decode(vc)
	if err != nil {
		return Match{}, fmt.Errorf("%w: %s: %w", ErrNotFound, n.Path, err)
	}
	return Match{DescriptorID: d.ID, Presentation: vp, CredentialJWT: vc, Credential: vcClaims}, nil
}

// jwtAt returns the compact JWT that path names in v.
func jwtAt(path string, v any) (string, error) {
	p, err := ParsePath(path)
	if err != nil {
		return "", err
	}
	got, ok := p.Eval(v)
	s, isString := got.(string)
	if !ok || !isString || strings.Count(s, ".") != 2 {
		return "", fmt.Errorf("%w: %s", ErrNotFound, path)
	}
	return s, nil
}

// Check applies the constraints to a credential's claims (a VC-JWT's claims or the credential itself):
// each field's first path that names a value must pass its filter.
func (c Constraints) Check(claims map[string]any) error {
	for _, f := range c.Fields {
		found := false
		for _, ps := range f.Path {
			p, err := ParsePath(ps)
			if err != nil {
				return fmt.Errorf("%w: %w", ErrConstraint, err)
			}
			v, ok := p.Eval(claims)
			if !ok {
				continue
			}
			found = true
			if !f.Filter.Accepts(v) {
				return fmt.Errorf("%w: %s does not pass the filter", ErrConstraint, ps)
			}
			break
		}
		if !found {
			return fmt.Errorf("%w: none of %v is present", ErrConstraint, f.Path)
		}
	}
	return nil
}
