package holder

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/ionode/ionode/exchange/presex"
)

// presentDefinition answers a draft-era request's presentation definition: each input descriptor is
// answerable by the first held VC-JWT whose claims meet its constraints; presex chooses the fewest
// descriptors its submission requirements need (all of them without requirements); one VP-JWT holds
// the chosen credentials, and the presentation_submission maps each chosen descriptor to its place in
// that VP.
func (w *Wallet) presentDefinition(r *Request, held []string) (*Response, error) {
	d := r.Definition
	vpFormat, vcFormat, err := definitionFormats(d)
	if err != nil {
		return nil, err
	}
	claims := make([]map[string]any, len(held))
	for i, h := range held {
		claims[i], _ = credentialClaims(h) // an unreadable credential answers nothing
	}
	match := make([]int, len(d.InputDescriptors))
	available := make([]bool, len(d.InputDescriptors))
	for k := range d.InputDescriptors {
		match[k] = -1
		for i, c := range claims {
			if c != nil && d.InputDescriptors[k].Constraints.Check(c) == nil {
				match[k], available[k] = i, true
				break
			}
		}
	}
	chosen, err := d.Choose(available)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoMatch, err)
	}
	sub := presex.Submission{ID: newSubmissionID(), DefinitionID: d.ID}
	out := &Response{Chosen: map[string][]string{}}
	place := map[int]int{} // held index → index in the VP's verifiableCredential
	var vcs []string
	for k, ok := range chosen {
		if !ok {
			continue
		}
		i := match[k]
		p, seen := place[i]
		if !seen {
			p, place[i] = len(vcs), len(vcs)
			vcs = append(vcs, held[i])
		}
		id := d.InputDescriptors[k].ID
		sub.DescriptorMap = append(sub.DescriptorMap, presex.Descriptor{ID: id, Format: vpFormat, Path: "$",
			PathNested: &presex.Descriptor{ID: id, Format: vcFormat, Path: fmt.Sprintf("$.verifiableCredential[%d]", p)}})
		out.Chosen[id] = []string{held[i]}
	}
	if len(vcs) == 0 {
		return nil, fmt.Errorf("%w: the definition's requirements are met by presenting nothing", ErrNoMatch)
	}
	if out.VPToken, err = w.Holder.Present(vcs, r.ClientID, r.Nonce, w.TTL); err != nil {
		return nil, fmt.Errorf("sign the presentation: %w", err)
	}
	b, err := json.Marshal(sub)
	if err != nil {
		return nil, fmt.Errorf("presentation_submission: %w", err)
	}
	out.Submission = string(b)
	return out, nil
}

// definitionFormats are the formats this wallet writes in the submission: a VP-JWT holding VC-JWTs,
// named as the definition names them (jwt_vp_json/jwt_vc_json preferred, jwt_vp/jwt_vc as the
// drafts' verifiers often list them). A definition that accepts neither is refused.
func definitionFormats(d *presex.Definition) (vp, vc string, err error) {
	if len(d.Format) == 0 {
		return presex.FormatJWTVPJSON, presex.FormatJWTVCJSON, nil
	}
	pick := func(preferred, other string) string {
		if _, ok := d.Format[preferred]; ok {
			return preferred
		}
		if _, ok := d.Format[other]; ok {
			return other
		}
		return ""
	}
	vp, vc = pick(presex.FormatJWTVPJSON, presex.FormatJWTVP), pick(presex.FormatJWTVCJSON, presex.FormatJWTVC)
	if vp == "" {
		return "", "", refuse("the presentation definition accepts none of %s, %s: this wallet presents VP-JWTs", presex.FormatJWTVPJSON, presex.FormatJWTVP)
	}
	if vc == "" {
		vc = presex.FormatJWTVCJSON
	}
	return vp, vc, nil
}

// newSubmissionID is a fresh presentation_submission id.
func newSubmissionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// credentialClaims reads a held VC-JWT's claims, for the definition's constraints (which name VC-JWT
// claims: $.vc.type, $.iss …).
func credentialClaims(jwt string) (map[string]any, error) {
	var c map[string]any
	if _, err := readHeld(jwt, &c); err != nil {
		return nil, err
	}
	return c, nil
}
