package issuance

import (
	"bytes"
	"encoding/json"

	"github.com/ionode/ionode/internal/jsonlimit"
)

// Request is the body of createIssuanceRequest.
type Request struct {
	Authority     string         `json:"authority"`
	IncludeQRCode bool           `json:"includeQRCode"`
	Registration  Registration   `json:"registration"`
	Callback      *Callback      `json:"callback"`
	Type          string         `json:"type"`
	Manifest      string         `json:"manifest"`
	Claims        map[string]any `json:"claims"`
	Pin           *Pin           `json:"pin"`
}

// Registration names the requester for the wallet.
type Registration struct {
	ClientName string `json:"clientName"`
	Purpose    string `json:"purpose,omitempty"`
}

// Callback is where and how the relying party is told about the request.
type Callback struct {
	URL     string            `json:"url"`
	State   string            `json:"state"`
	Headers map[string]string `json:"headers,omitempty"`
}

// Pin is the PIN the holder types: a value, or only a length for a generated one.
type Pin struct {
	Value      string `json:"value"`
	Length     int    `json:"length"`
	Salt       string `json:"salt,omitempty"`
	Alg        string `json:"alg,omitempty"`
	Iterations int    `json:"iterations,omitempty"`
}

// Bounds on a request body.
const (
	MaxRequestSize = 32 << 10
	maxJSONDepth   = 12
	maxStateLength = 1024
	maxHeaders     = 16
)

// ParseRequest parses and checks a createIssuanceRequest body. Errors are *APIError (400).
func ParseRequest(body []byte) (*Request, error) {
	if err := jsonlimit.Check(body, MaxRequestSize, maxJSONDepth); err != nil {
		return nil, badRequest("", "body: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var r Request
	if err := dec.Decode(&r); err != nil {
		return nil, badRequest("", "body: %v", err)
	}
	switch {
	case r.Type == "":
		return nil, badRequest("type", "type is required")
	case r.Authority == "":
		return nil, badRequest("authority", "authority (the issuer DID) is required")
	case r.Registration.ClientName == "":
		return nil, badRequest("registration.clientName", "registration.clientName is required")
	}
	if c := r.Callback; c != nil {
		if c.URL == "" {
			return nil, badRequest("callback.url", "callback.url is required with a callback")
		}
		if len(c.State) > maxStateLength {
			return nil, badRequest("callback.state", "callback.state longer than %d", maxStateLength)
		}
		if len(c.Headers) > maxHeaders {
			return nil, badRequest("callback.headers", "more than %d callback headers", maxHeaders)
		}
	}
	if p := r.Pin; p != nil {
		if p.Salt != "" || p.Alg != "" || p.Iterations != 0 {
			return nil, badRequest("pin", "hashed PINs (salt, alg, iterations) are not supported: send pin.value")
		}
		if p.Value != "" && p.Length != 0 && p.Length != len(p.Value) {
			return nil, badRequest("pin.length", "pin.length %d is not the length of pin.value", p.Length)
		}
	}
	return &r, nil
}
