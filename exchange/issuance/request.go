package issuance

import (
	"bytes"
	"encoding/json"

	"github.com/ionode/ionode/exchange"
	"github.com/ionode/ionode/internal/jsonlimit"
)

// Request is the body of createIssuanceRequest.
type Request struct {
	Authority     string                `json:"authority"`
	IncludeQRCode bool                  `json:"includeQRCode"`
	Registration  exchange.Registration `json:"registration"`
	Callback      *exchange.Callback    `json:"callback"`
	Type          string                `json:"type"`
	Manifest      string                `json:"manifest"`
	Claims        map[string]any        `json:"claims"`
	Pin           *Pin                  `json:"pin"`
}

// Pin is the PIN the holder types.
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
)

// ParseRequest parses and checks a createIssuanceRequest body. Errors are *exchange.APIError (400).
func ParseRequest(body []byte) (*Request, error) {
	if err := jsonlimit.Check(body, MaxRequestSize, maxJSONDepth); err != nil {
		return nil, exchange.BadField("", "body: %v", err)
	}
	var r Request
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // claims keep their numbers exactly as sent, whatever their size
	if err := dec.Decode(&r); err != nil {
		return nil, exchange.BadField("", "body: %v", err)
	}
	switch {
	case r.Type == "":
		return nil, exchange.BadField("type", "type is required")
	case r.Authority == "":
		return nil, exchange.BadField("authority", "authority (the issuer DID) is required")
	case r.Registration.ClientName == "":
		return nil, exchange.BadField("registration.clientName", "registration.clientName is required")
	}
	if c := r.Callback; c != nil {
		if c.URL == "" {
			return nil, exchange.BadField("callback.url", "callback.url is required with a callback")
		}
		if len(c.State) > maxStateLength {
			return nil, exchange.BadField("callback.state", "callback.state longer than %d", maxStateLength)
		}
	}
	if p := r.Pin; p != nil {
		if p.Salt != "" || p.Alg != "" || p.Iterations != 0 {
			return nil, exchange.BadField("pin", "hashed PINs (salt, alg, iterations) are not supported: send pin.value")
		}
		if p.Value == "" {
			return nil, exchange.BadField("pin.value", "pin.value is required with a pin")
		}
		if p.Length != 0 && p.Length != len(p.Value) {
			return nil, exchange.BadField("pin.length", "pin.length %d is not the length of pin.value", p.Length)
		}
	}
	return &r, nil
}
