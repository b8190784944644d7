package holder

import (
	"encoding/json"
	"strings"

	"github.com/ionode/ionode/credential"
	"github.com/ionode/ionode/exchange/oid4vp"
)

// readHeld decodes a held credential's JWT payload into v without verifying it: the wallet only chooses
// what to present; the verifier verifies. ParseJWS bounds and parses the JWS as it does for every JWS
// the node reads.
func readHeld(jwt string, v any) (*credential.JWS, error) {
	jws, err := credential.ParseJWS(jwt, nil)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(jws.Payload(), v); err != nil {
		return nil, err
	}
	return jws, nil
}

// credentialTypes reads the types of a held VC-JWT (vc.type, or type for a VC 2.0 vc+jwt).
func credentialTypes(jwt string) ([]string, error) {
	c, err := readVCJWT(jwt)
	return c.types, err
}

// readVCJWT reads a held VC-JWT for DCQL: its types, its credential as JSON (the vc claim, or a VC 2.0
// vc+jwt's payload; DCQL claims paths start there, as the verifier's do) with issuer and type filled in
// as verified credentials carry them, and its issuance time (iat, or nbf).
func readVCJWT(jwt string) (heldCredential, error) {
	var c map[string]any
	jws, err := readHeld(jwt, &c)
	if err != nil {
		return heldCredential{}, err
	}
	vc, _ := c["vc"].(map[string]any)
	if typ := strings.ToLower(jws.Header().Typ); vc == nil || typ == "vc+jwt" || typ == "application/vc+jwt" {
		vc = c
	}
	var types typeList
	if b, err := json.Marshal(vc["type"]); err == nil {
		_ = types.UnmarshalJSON(b) // no types: the credential matches no type query
	}
	if iss, ok := c["iss"].(string); ok {
		vc["issuer"] = iss
	}
	h := heldCredential{format: oid4vp.FormatJWTVC, types: types, claims: vc, iat: numberClaim(c["iat"])}
	if h.iat == 0 {
		h.iat = numberClaim(c["nbf"])
	}
	return h, nil
}

// typeList is a type member: one string or an array of them.
type typeList []string

func (t *typeList) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*t = typeList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*t = many
	return nil
}
