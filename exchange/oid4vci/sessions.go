package oid4vci

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Sessions is the node's session store (node/store.Sessions; the method set exchange/doc.go specifies).
type Sessions interface {
	// PutSession stores a new record that stays visible until expires; created is false when a live
	// record already has this id.
	PutSession(ctx context.Context, id string, data []byte, expires time.Time) (created bool, err error)
	// GetSession returns a live record and its version; ok is false when there is none or it expired.
	GetSession(ctx context.Context, id string) (data []byte, version uint64, ok bool, err error)
	// SwapSession replaces a live record only while its version is still version.
	SwapSession(ctx context.Context, id string, version uint64, data []byte, expires time.Time) (swapped bool, err error)
	// DeleteSession removes a record; deleting a missing one is not an error.
	DeleteSession(ctx context.Context, id string) error
}

// Session ids: codes, tokens and nonces are stored under their SHA-256, so that a store dump reveals
// no usable secret.
const (
	prefixCode  = "vci:code:"
	prefixToken = "vci:token:"
	prefixNonce = "vci:nonce:"
	prefixOffer = "vci:offer:"
)

func secretID(prefix, secret string) string {
	h := sha256.Sum256([]byte(secret))
	return prefix + hex.EncodeToString(h[:])
}

// newSecret returns 32 random bytes, base64url.
func newSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// grant is a pre-authorized code's record.
type grant struct {
	ConfigurationIDs []string       `json:"configuration_ids"`
	Claims           map[string]any `json:"claims,omitempty"`
	// TxCode is the SHA-256 (hex) of the code's id and the PIN, or empty without a PIN.
	TxCode      string    `json:"tx_code,omitempty"`
	Failures    int       `json:"failures,omitempty"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
	Used        bool      `json:"used,omitempty"`
	RequestID   string    `json:"request_id,omitempty"`
	Expires     time.Time `json:"expires"`
}

// accessToken is an access token's record.
type accessToken struct {
	ConfigurationIDs []string       `json:"configuration_ids"`
	Claims           map[string]any `json:"claims,omitempty"`
	// Issued lists the configurations already issued with this token (one credential each).
	Issued    []string  `json:"issued,omitempty"`
	RequestID string    `json:"request_id,omitempty"`
	Expires   time.Time `json:"expires"`
}

// nonce is a c_nonce's record.
type nonce struct {
	Used    bool      `json:"used,omitempty"`
	Expires time.Time `json:"expires"`
}

func getRecord[T any](ctx context.Context, s Sessions, id string, v *T) (version uint64, ok bool, err error) {
	data, version, ok, err := s.GetSession(ctx, id)
	if err != nil || !ok {
		return 0, ok, err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return 0, false, fmt.Errorf("session %s: %w", id[:len(prefixCode)], err)
	}
	return version, true, nil
}

func marshalRecord(v any) []byte {
	b, _ := json.Marshal(v) // records are plain structs
	return b
}
