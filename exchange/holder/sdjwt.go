package holder

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/credential/sdjwt"
	"github.com/ionode/ionode/exchange/dcql"
)

// presentSDJWT presents a chosen SD-JWT VC (credential/sdjwt) with only the Disclosures the claims
// of its chosen claim set need (all the query's claims without claim sets; none when it names none), and
// a KB-JWT signed by the holder's key for the client_id and nonce.
func (w *Wallet) presentSDJWT(r *Request, c candidate) (string, error) {
	disclose := make([]string, 0, len(c.match.Claims))
	for _, cl := range c.match.Claims {
		p, err := disclosurePath(cl.Path)
		if err != nil {
			return "", refuse("%v", err)
		}
		disclose = append(disclose, p)
	}
	vp, err := sdjwt.Present(c.raw, disclose, &sdjwt.KeyBinding{Signer: w.Holder.Signer, Audience: r.ClientID, Nonce: r.Nonce, Now: w.now()})
	if err != nil {
		return "", fmt.Errorf("present the SD-JWT VC: %w", err)
	}
	return vp, nil
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
