package oid4vci

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Code is an OAuth 2.0 (RFC 6749) or OpenID4VCI 1.0 error code, as wallets receive it.
type Code string

// Error codes. Each names one kind of refusal.
const (
	// CodeInvalidRequest: a malformed request (bad form or JSON, a missing parameter, too large).
	CodeInvalidRequest Code = "invalid_request"
	// CodeUnsupportedGrantType: a grant_type other than the pre-authorized code.
	CodeUnsupportedGrantType Code = "unsupported_grant_type"
	// CodeInvalidGrant: the pre-authorized code is unknown, expired, already used or burned, or the
	// tx_code is missing or wrong.
	CodeInvalidGrant Code = "invalid_grant"
	// CodeSlowDown: a wrong tx_code was sent; the code is locked for a while (HTTP 429).
	CodeSlowDown Code = "slow_down"
	// CodeInvalidToken: the access token is missing, unknown or expired (HTTP 401).
	CodeInvalidToken Code = "invalid_token"
	// CodeInvalidCredentialRequest: the credential request is malformed, or asks again for a credential
	// the token already received.
	CodeInvalidCredentialRequest Code = "invalid_credential_request"
	// CodeUnknownCredentialConfiguration: the configuration is not offered to this token.
	CodeUnknownCredentialConfiguration Code = "unknown_credential_configuration"
	// CodeInvalidProof: the proof is missing, malformed, of another type, wrongly signed, for another
	// audience, too old, or its key cannot be resolved.
	CodeInvalidProof Code = "invalid_proof"
	// CodeInvalidNonce: the proof's nonce is missing, unknown, expired or already used.
	CodeInvalidNonce Code = "invalid_nonce"
	// CodeServerError: the issuer failed (storage, signing); the wallet may retry.
	CodeServerError Code = "server_error"
)

// Error is a refusal with its code, description and HTTP status.
type Error struct {
	Code        Code
	Description string
	Status      int
	Err         error
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Description) }

func (e *Error) Unwrap() error { return e.Err }

// Is matches an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func statusOf(c Code) int {
	switch c {
	case CodeInvalidToken:
		return http.StatusUnauthorized
	case CodeSlowDown:
		return http.StatusTooManyRequests
	case CodeServerError:
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// errorf builds an *Error; a %w verb keeps the cause.
func errorf(code Code, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Code: code, Description: err.Error(), Status: statusOf(code), Err: errors.Unwrap(err)}
}

// CodeOf returns the Code of an *Error in err's chain, or "" if there is none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// writeError answers with the error's status and an OAuth error body; other errors are server_error
// and their text is not shown.
func writeError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Code: CodeServerError, Description: "internal error", Status: http.StatusInternalServerError}
	}
	if e.Code == CodeInvalidToken {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf("Bearer error=%q", e.Code))
	}
	writeJSON(w, e.Status, map[string]string{"error": string(e.Code), "error_description": e.Description})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
