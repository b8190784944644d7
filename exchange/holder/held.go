package holder

import (
	"encoding/json"
	"strings"

	"github.com/ionode/ionode/credential"
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
	var c struct {
		VC *struct {
			Type typeList `json:"type"`
		} `json:"vc"`
		Type typeList `json:"type"`
	}
	jws, err := readHeld(jwt, &c)
	if err != nil {
		return nil, err
	}
	if typ := strings.ToLower(jws.Header().Typ); c.VC != nil && typ != "vc+jwt" && typ != "application/vc+jwt" {
		return c.VC.Type, nil
	}
	return c.Type, nil
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
