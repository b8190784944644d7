package holder

import (
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/ionode/ionode/exchange/jwe"
)

// responseForm is the body posted to response_uri: vp_token, presentation_submission and state as
// form parameters (direct_post), or a JSON object of them encrypted to the verifier's key as the one
// parameter "response" (direct_post.jwt, OpenID4VP 1.0 §8.3).
func responseForm(r *Request, p *Response) (url.Values, error) {
	if r.EncryptTo == nil {
		form := url.Values{"vp_token": {p.VPToken}}
		if p.Submission != "" {
			form.Set("presentation_submission", p.Submission)
		}
		if r.State != "" {
			form.Set("state", r.State)
		}
		return form, nil
	}
	payload := map[string]any{}
	// A DCQL vp_token is a JSON object and goes in as one; a draft-era VP-JWT is a string.
	if r.Definition != nil {
		payload["vp_token"] = p.VPToken
		payload["presentation_submission"] = json.RawMessage(p.Submission)
	} else {
		payload["vp_token"] = json.RawMessage(p.VPToken)
	}
	if r.State != "" {
		payload["state"] = r.State
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("response: %w", err)
	}
	enc, err := jwe.Encrypt(*r.EncryptTo, r.Enc, b)
	if err != nil {
		return nil, fmt.Errorf("encrypt the response: %w", err)
	}
	return url.Values{"response": {enc}}, nil
}
