package sidetree

import "crypto/sha256"

// canonicalOrEmpty canonicalizes v into buf (which may be on the caller's stack); a value JCS cannot
// express hashes as nothing, which never matches.
func canonicalOrEmpty(v Value, buf []byte) ([]byte, bool) {
	c, err := v.appendCanonical(buf[:0])
	return c, err == nil
}

// canonicalBufSize fits the JCS form of a key or a suffix data, so hashing one allocates nothing.
const canonicalBufSize = 256

// RevealValueOf returns the reveal value of a public key: base64url(multihash(JCS(key))). It is "" when
// the key cannot be canonicalized.
func RevealValueOf(key Value) string {
	var buf [canonicalBufSize]byte
	c, ok := canonicalOrEmpty(key, buf[:])
	if !ok {
		return ""
	}
	return HashThenEncode(c)
}

// CommitmentOf returns the commitment to a public key: the multihash of the SHA-256 digest of its
// canonical form, i.e. SHA-256 applied twice with only the outer hash in multihash form.
func CommitmentOf(key Value) string {
	var buf [canonicalBufSize]byte
	c, ok := canonicalOrEmpty(key, buf[:])
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
	var buf [canonicalBufSize]byte
	c, err := suffixData.appendCanonical(buf[:0])
	if err != nil {
		return "", &Error{Code: CodeInvalidJSON, Message: "suffix data cannot be canonicalized", Err: err}
	}
	return HashThenEncode(c), nil
}

// ComputeDIDSuffixOfText is ComputeDIDSuffix(suffixData) for suffix data read from text, its
// JSON.stringify form (a streamed reader's text of it when it reports that form). Suffix data as ION's
// writers write it, an object of strings under ASCII keys in ascending order, is written the same by JCS
// (which writes strings as JSON.stringify does, and sorts the keys): text is then hashed as it is,
// instead of being written out again.
func ComputeDIDSuffixOfText(suffixData Value, text []byte) (string, error) {
	if !isSortedStrings(suffixData) {
		return ComputeDIDSuffix(suffixData)
	}
	return HashThenEncode(text), nil
}

// isSortedStrings reports whether v is an object whose values are all strings and whose keys are ASCII
// in strictly ascending order (so their UTF-16 order, JCS's, is their bytes' order), none starting with a
// digit (JSON.stringify writes array-index keys first, whatever their place).
func isSortedStrings(v Value) bool {
	if v.Kind() != KindObject {
		return false
	}
	prev := ""
	for i, m := range v.members() {
		if m.Value.Kind() != KindString || m.Key == "" || m.Key[0] >= '0' && m.Key[0] <= '9' || !isASCII(m.Key) || i > 0 && m.Key <= prev {
			return false
		}
		prev = m.Key
	}
	return true
}
