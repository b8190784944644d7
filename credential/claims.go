package credential

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// jwtClaims are the registered and VC claims of a VC-JWT or VP-JWT payload.
type jwtClaims struct {
	Iss   string          `json:"iss"`
	Sub   string          `json:"sub"`
	Aud   stringOrList    `json:"aud"`
	Jti   string          `json:"jti"`
	Nonce string          `json:"nonce"`
	Nbf   *numericDate    `json:"nbf"`
	Exp   *numericDate    `json:"exp"`
	Iat   *numericDate    `json:"iat"`
	VC    json.RawMessage `json:"vc"`
	VP    json.RawMessage `json:"vp"`
}

// vcBody is what we read of a credential (the vc claim, or a VC 2.0 payload).
type vcBody struct {
	Context           json.RawMessage `json:"@context"`
	ID                string          `json:"id"`
	Type              stringOrList    `json:"type"`
	Issuer            json.RawMessage `json:"issuer"`
	CredentialSubject json.RawMessage `json:"credentialSubject"`
	CredentialStatus  json.RawMessage `json:"credentialStatus"`
	ValidFrom         string          `json:"validFrom"`
	ValidUntil        string          `json:"validUntil"`
	IssuanceDate      string          `json:"issuanceDate"`
	ExpirationDate    string          `json:"expirationDate"`
}

type vpBody struct {
	Type                 stringOrList      `json:"type"`
	Holder               string            `json:"holder"`
	VerifiableCredential []json.RawMessage `json:"verifiableCredential"`
}

// stringOrList is a JSON string or array of strings.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var one string
		if err := json.Unmarshal(data, &one); err != nil {
			return err
		}
		*s = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(data, &many); err != nil {
		return err
	}
	*s = many
	return nil
}

// numericDate is a JWT NumericDate: seconds since the epoch, possibly fractional.
type numericDate struct{ time.Time }

func (n *numericDate) UnmarshalJSON(data []byte) error {
	var f float64
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("NumericDate: %w", err)
	}
	if math.IsNaN(f) || f < 0 || f > 1e11 {
		return fmt.Errorf("NumericDate %v out of range", f)
	}
	sec, frac := math.Modf(f)
	n.Time = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	return nil
}

// issuerID reads issuer as a string or an object with id.
func issuerID(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", fmt.Errorf("issuer must be a string or an object with id")
	}
	return obj.ID, nil
}

// subjectIDs returns the ids of credentialSubject (an object or an array of objects).
func subjectIDs(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, fmt.Errorf("no credentialSubject")
	}
	type subject struct {
		ID string `json:"id"`
	}
	if raw[0] == '[' {
		var many []subject
		if err := json.Unmarshal(raw, &many); err != nil {
			return nil, fmt.Errorf("credentialSubject: %w", err)
		}
		ids := make([]string, len(many))
		for i, s := range many {
			ids[i] = s.ID
		}
		return ids, nil
	}
	var one subject
	if err := json.Unmarshal(raw, &one); err != nil {
		return nil, fmt.Errorf("credentialSubject: %w", err)
	}
	return []string{one.ID}, nil
}

// statusEntries reads credentialStatus (absent, an object or an array).
func statusEntries(raw json.RawMessage) ([]Status, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '[' {
		var many []Status
		if err := json.Unmarshal(raw, &many); err != nil {
			return nil, fmt.Errorf("credentialStatus: %w", err)
		}
		return many, nil
	}
	var one Status
	if err := json.Unmarshal(raw, &one); err != nil {
		return nil, fmt.Errorf("credentialStatus: %w", err)
	}
	return []Status{one}, nil
}

// UnmarshalJSON reads statusListIndex as a string or a number (some issuers write a number).
func (s *Status) UnmarshalJSON(data []byte) error {
	var raw struct {
		ID                   string          `json:"id"`
		Type                 string          `json:"type"`
		StatusPurpose        string          `json:"statusPurpose"`
		StatusListIndex      json.RawMessage `json:"statusListIndex"`
		StatusListCredential string          `json:"statusListCredential"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*s = Status{ID: raw.ID, Type: raw.Type, StatusPurpose: raw.StatusPurpose, StatusListCredential: raw.StatusListCredential}
	if len(raw.StatusListIndex) > 0 {
		var str string
		if json.Unmarshal(raw.StatusListIndex, &str) == nil {
			s.StatusListIndex = str
		} else {
			var n json.Number
			if err := json.Unmarshal(raw.StatusListIndex, &n); err != nil {
				return fmt.Errorf("statusListIndex: %w", err)
			}
			s.StatusListIndex = n.String()
		}
	}
	return nil
}

func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s, err)
	}
	return t, nil
}
