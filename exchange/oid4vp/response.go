package oid4vp

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ionode/ionode/internal/jsonlimit"
)

// Limits on wallet input, checked before parsing.
const (
	// MaxResponseBytes bounds the posted response (form body).
	MaxResponseBytes = 256 << 10
	// MaxPresentations bounds the presentations in a vp_token and the credentials a request asks for.
	MaxPresentations = 8
	// maxDepth bounds JSON nesting in wallet input.
	maxDepth = 8
)

// ErrMalformed marks wallet input that does not parse: the response is refused with invalid_request.
var ErrMalformed = errors.New("malformed response")

// ParseVPToken reads a DCQL vp_token: a JSON object from credential query id to the presentations
// answering it, each a string (OpenID4VP 1.0 sends an array; earlier drafts a single string). It is
// linear in the input: one bounded depth scan, one decode (into generic values, which the depth scan
// bounds, rather than raw members decoded again one by one).
func ParseVPToken(s string) (map[string][]string, error) {
	if len(s) > MaxResponseBytes {
		return nil, fmt.Errorf("%w: vp_token over %d bytes", ErrMalformed, MaxResponseBytes)
	}
	b := []byte(s)
	if err := checkDepth(b, maxDepth); err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%w: vp_token is not a JSON object: %v", ErrMalformed, err)
	}
	out := make(map[string][]string, len(raw))
	total := 0
	for id, v := range raw {
		var list []string
		switch v := v.(type) {
		case string:
			list = []string{v}
		case []any:
			list = make([]string, 0, len(v))
			for i, e := range v {
				one, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("%w: vp_token[%q][%d] is not a string", ErrMalformed, id, i)
				}
				list = append(list, one)
			}
		default:
			return nil, fmt.Errorf("%w: vp_token[%q] is neither a string nor an array of strings", ErrMalformed, id)
		}
		if len(list) == 0 {
			return nil, fmt.Errorf("%w: vp_token[%q] is empty", ErrMalformed, id)
		}
		total += len(list)
		if total > MaxPresentations {
			return nil, fmt.Errorf("%w: more than %d presentations", ErrMalformed, MaxPresentations)
		}
		out[id] = list
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: empty vp_token", ErrMalformed)
	}
	return out, nil
}

// checkDepth refuses JSON nested deeper than max (jsonlimit's one-pass count).
func checkDepth(b []byte, max int) error {
	if jsonlimit.Depth(b) > max {
		return fmt.Errorf("%w: JSON nested deeper than %d", ErrMalformed, max)
	}
	return nil
}
