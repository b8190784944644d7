package holder

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange/dcql"
)

// presentSDJWT answers a dc+sd-jwt credential query with the first held SD-JWT VC whose vct the query
// accepts: presented by credential/sdjwt with only the Disclosures the query's claims paths need, and a
// KB-JWT signed by the holder's key for the client_id and nonce.
func (w *Wallet) presentSDJWT(r *Request, q dcql.CredentialQuery, held []string) (vp, chosen string, err error) {
	disclose := make([]string, 0, len(q.Claims))
	for _, c := range q.Claims {
		p, err := disclosurePath(c.Path)
		if err != nil {
			return "", "", refuse("credential query %q: %v", credential.Truncate(q.ID), err)
		}
		disclose = append(disclose, p)
	}
	for _, h := range held {
		if !sdjwt.Is(h) {
			continue
		}
		vct, err := heldVCT(h)
		if err != nil || len(q.Meta.VCTValues) > 0 && !slices.Contains(q.Meta.VCTValues, vct) {
			continue
		}
		vp, err := sdjwt.Present(h, disclose, &sdjwt.KeyBinding{Signer: w.Holder.Signer, Audience: r.ClientID, Nonce: r.Nonce, Now: w.now()})
		if err != nil {
			return "", "", fmt.Errorf("present the SD-JWT VC: %w", err)
		}
		return vp, h, nil
	}
	return "", "", fmt.Errorf("%w: %q asks for an SD-JWT VC of vct %v", ErrNoMatch, credential.Truncate(q.ID), q.Meta.VCTValues)
}

// disclosurePath writes a DCQL claims path pointer in credential/sdjwt's path syntax: members by name,
// an array element by its index, every element (null) as *. A member name that syntax cannot write (a
// dot, or one that reads as an index or *) is refused rather than misread.
func disclosurePath(p dcql.ClaimsPath) (string, error) {
	parts := make([]string, len(p))
	for i, c := range p {
		switch x := c.(type) {
		case nil:
			parts[i] = "*"
		case int:
			parts[i] = strconv.Itoa(x)
		case string:
			if _, err := strconv.Atoi(x); err == nil || x == "*" || x == "" || strings.Contains(x, ".") {
				return "", fmt.Errorf("claim name %q cannot be selected for disclosure", credential.Truncate(x))
			}
			parts[i] = x
		}
	}
	return strings.Join(parts, "."), nil
}

// heldVCT reads a held SD-JWT VC's vct without verifying it: the wallet only chooses what to present.
func heldVCT(issued string) (string, error) {
	s, err := sdjwt.Parse(issued)
	if err != nil {
		return "", err
	}
	var c struct {
		VCT string `json:"vct"`
	}
	if _, err := readHeld(s.JWT, &c); err != nil {
		return "", err
	}
	return c.VCT, nil
}
