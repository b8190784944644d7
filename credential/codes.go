package credential

import (
	"errors"
	"fmt"
)

// Code is a stable verification failure code, as results and logs report it.
type Code string

// Failure codes. Each is the outcome of exactly one kind of check.
const (
	// CodeInvalidJWT: not a compact JWS, unparsable header or claims, missing or malformed required
	// claims, a payload that is not a credential (presentation) of a supported form.
	CodeInvalidJWT Code = "invalid_jwt"
	// CodeUnsupportedAlg: the JWS alg is not one the verifier accepts (ES256K, EdDSA, ES256), or does not
	// match the type of the key the kid names.
	CodeUnsupportedAlg Code = "unsupported_alg"
	// CodeUnresolvableIssuer: the DID of the kid (issuer, or holder for a presentation) could not be
	// resolved, or is deactivated.
	CodeUnresolvableIssuer Code = "unresolvable_issuer"
	// CodeKeyNotAuthorized: the kid names another DID than the issuer, is not in the document, or is not
	// in the required verification relationship (assertionMethod for credentials, authentication for
	// presentations); without a kid, the relationship has no key of the alg's type.
	CodeKeyNotAuthorized Code = "key_not_authorized"
	// CodeInvalidSignature: the signature does not verify with the key (without a kid: with none of the
	// relationship's keys of the alg's type).
	CodeInvalidSignature Code = "invalid_signature"
	// CodeInvalidClaims: the JWT claims contradict the credential (iss vs issuer, sub vs
	// credentialSubject.id, jti vs id).
	CodeInvalidClaims Code = "invalid_claims"
	// CodeNotYetValid: nbf / validFrom is in the future (beyond the clock skew).
	CodeNotYetValid Code = "not_yet_valid"
	// CodeExpired: exp / validUntil is in the past (beyond the clock skew).
	CodeExpired Code = "expired"
	// CodeRevoked: the credential's status list bit is set (revocation or suspension).
	CodeRevoked Code = "revoked"
	// CodeStatusUnavailable: the status list credential could not be fetched, verified or read.
	CodeStatusUnavailable Code = "status_unavailable"
	// CodeUntrustedIssuer: the trust policy does not trust this issuer for the credential's type.
	CodeUntrustedIssuer Code = "untrusted_issuer"
	// CodeDomainNotLinked: the policy trusts a domain, and the issuer's link to it did not verify.
	CodeDomainNotLinked Code = "domain_not_linked"
	// CodeAudienceMismatch: a presentation's aud is not the verifier's.
	CodeAudienceMismatch Code = "audience_mismatch"
	// CodeNonceMismatch: a presentation's nonce is not the one the verifier issued.
	CodeNonceMismatch Code = "nonce_mismatch"
	// CodeHolderMismatch: a presented credential's subject is not the presentation's holder.
	CodeHolderMismatch Code = "holder_mismatch"
)

// Failure is a verification failure: a Code and what was found.
type Failure struct {
	Code   Code
	Detail string
	Err    error
}

func (f *Failure) Error() string {
	if f.Detail == "" {
		return string(f.Code)
	}
	return fmt.Sprintf("%s: %s", f.Code, f.Detail)
}

func (f *Failure) Unwrap() error { return f.Err }

// Is matches a *Failure with the same Code.
func (f *Failure) Is(target error) bool {
	t, ok := target.(*Failure)
	return ok && t.Code == f.Code
}

// fail builds a *Failure; a %w verb keeps the cause.
func fail(code Code, format string, args ...any) *Failure {
	err := fmt.Errorf(format, args...)
	return &Failure{Code: code, Detail: err.Error(), Err: errors.Unwrap(err)}
}

// CodeOf returns the Code of a *Failure in err's chain, or "" if there is none.
func CodeOf(err error) Code {
	var f *Failure
	if errors.As(err, &f) {
		return f.Code
	}
	return ""
}
