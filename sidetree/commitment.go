package sidetree

import "crypto/sha256"

// canonicalOrEmpty canonicalizes v; a value JCS cannot express hashes as nothing, which never matches.
func canonicalOrEmpty(v Value) ([]byte, bool) {
	c, err := v.Canonicalize()
	return c, err == nil
}

// RevealValueOf returns the reveal value of a public key: base64url(multihash(JCS(key))). It is "" when
// the key cannot be canonicalized.
func RevealValueOf(key Value) string {
	c, ok := canonicalOrEmpty(key)
	if !ok {
		return ""
	}
	return HashThenEncode(c)
}

// CommitmentOf returns the commitment to a public key: the multihash of the SHA-256 digest of its
// canonical form, i.e. SHA-256 applied twice with only the outer hash in multihash form.
func CommitmentOf(key Value) string {
	c, ok := canonicalOrEmpty(key)
	if !ok {
		return ""
	}
	inner := sha256.Sum256(c)
	return HashThenEncode(inner[:])
}

// CommitmentFromRevealValue returns the commitment a reveal value opens: the hash of its digest, computed
// as the reference's resolver does when it groups operations by commitment.
func CommitmentFromRevealValue(reveal string) (string, error) {
	buf, err := DecodeBase64URL(reveal)
	if err != nil {
		return "", err
	}
	mh, err := DecodeMultihash(buf)
	if err != nil {
		return "", err
	}
	if mh.Code != SHA256Code {
		return "", codeError(CodeMultihashUnsupportedHashAlgorithm)
	}
	return HashThenEncode(mh.Digest), nil
}

// ComputeDIDSuffix returns the DID unique suffix: base64url(multihash(JCS(suffixData))).
func ComputeDIDSuffix(suffixData Value) (string, error) {
	c, err := suffixData.Canonicalize()
	if err != nil {
		return "", &Error{Code: CodeInvalidJSON, Message: "suffix data cannot be canonicalized", Err: err}
	}
	return HashThenEncode(c), nil
}
