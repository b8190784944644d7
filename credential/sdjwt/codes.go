package sdjwt

import "github.com/ionode/ionode/credential"

// Failure codes of SD-JWT verification, beside the credential package's (invalid_jwt, unsupported_alg,
// unresolvable_issuer, key_not_authorized, invalid_signature, not_yet_valid, expired, revoked,
// status_unavailable, untrusted_issuer, audience_mismatch, nonce_mismatch), which keep their meaning.
// Each is the outcome of exactly one kind of check.
const (
	// CodeInvalidDisclosure: a Disclosure is not base64url of a JSON array of two or three elements
	// with a string salt (and claim name), names a reserved claim (_sd, ...), sits where its kind does
	// not belong (an array element Disclosure for an object digest, or the reverse), or would overwrite
	// a claim already present.
	CodeInvalidDisclosure credential.Code = "invalid_disclosure"
	// CodeDisclosureNotReferenced: a Disclosure's digest appears nowhere in the Issuer-signed JWT or
	// in the other Disclosures. A tampered Disclosure fails here too: changing any byte changes its
	// digest, so it is indistinguishable from one whose digest was never signed.
	CodeDisclosureNotReferenced credential.Code = "disclosure_not_referenced"
	// CodeDuplicateDigest: a digest appears more than once in the payload and Disclosures, or the same
	// Disclosure is sent twice.
	CodeDuplicateDigest credential.Code = "duplicate_digest"
	// CodeUnsupportedSDAlg: _sd_alg names a hash other than sha-256 (including "none").
	CodeUnsupportedSDAlg credential.Code = "unsupported_sd_alg"
	// CodeKeyBindingRequired: the verifier requires key binding and the presentation has no KB-JWT, or
	// the credential has no cnf key to bind to.
	CodeKeyBindingRequired credential.Code = "key_binding_required"
	// CodeInvalidKeyBinding: the KB-JWT is malformed, has the wrong typ, does not verify with the cnf
	// key, or its iat is outside the accepted window.
	CodeInvalidKeyBinding credential.Code = "invalid_key_binding"
	// CodeSDHashMismatch: the KB-JWT's sd_hash is not the digest of the presented SD-JWT.
	CodeSDHashMismatch credential.Code = "sd_hash_mismatch"
	// CodeInvalidType: vct is missing, not the one the verifier expects, or its published type metadata
	// does not match it (other vct, failed vct#integrity).
	CodeInvalidType credential.Code = "invalid_type"
	// CodeTypeMetadataUnavailable: vct is an https URL and its type metadata could not be fetched
	// (other than "not published": 404).
	CodeTypeMetadataUnavailable credential.Code = "type_metadata_unavailable"
	// CodeSuspended: the credential's status in its status list is suspended (0x02).
	CodeSuspended credential.Code = "suspended"
	// CodeStatusListExpired: the status list token is past its exp.
	CodeStatusListExpired credential.Code = "status_list_expired"
)

// Check names of SD-JWT verification, beside the credential package's.
const (
	CheckDisclosures = "disclosures"
	CheckType        = "type"
	CheckKeyBinding  = "key_binding"
)

func fail(code credential.Code, format string, args ...any) *credential.Failure {
	return credential.NewFailure(code, format, args...)
}
