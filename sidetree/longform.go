package sidetree

import (
	"encoding/base64"
	"strings"
)

// A long-form DID's initial state must be the base64url of its own JCS form. The JSON reader checks that
// as it reads (jcsCheck), and then the JCS form of each of its top-level values is a slice of the
// decoded bytes (JCS of an object writes each member's value in JCS), so the suffix data and delta are
// hashed from those slices, not canonicalized again, and the delta's size is the length of its slice.

// initialState is a long-form DID's parsed initial state with the spans of its canonical form.
type initialState struct {
	raw               []byte // decoded: JCS(value) once checked
	value             Value
	delta, suffixData []byte // their JCS forms, slices of raw; nil if the state has no such member
	indexKey          bool   // some object of the state has an array-index key
	// spare is room after raw, in the same allocation, for the request body.
	spare []byte
}

// parseInitialState parses the create operation a long-form DID carries as the reference's
// Did.constructCreateOperationFromEncodedJcs does: the state must be the base64url of canonical JSON
// {suffixData, delta}, its delta valid and within the size limit. suffix is the DID's suffix, which the
// create's suffix is then compared with.
func parseInitialState(encoded, suffix string, p Parameters) (*Operation, error) {
	is, err := readInitialState(encoded)
	if err != nil {
		return nil, err
	}
	state := is.value
	delta, err := propertyOf(state, "delta")
	if err != nil {
		return nil, err
	}
	if err := checkDeltaPresent(delta); err != nil {
		return nil, err
	}
	if err := deltaSizeError(len(is.delta), p); err != nil {
		return nil, err
	}
	if err := ValidateDelta(delta); err != nil {
		return nil, err
	}
	suffixData, _ := propertyOf(state, "suffixData")
	// The reference rebuilds the request as {type, suffixData, delta} and parses that (CreateOperation.
	// parseObject), which checks the suffix data and, the delta being valid already, keeps it.
	if err := ValidateSuffixData(suffixData); err != nil {
		return nil, err
	}
	op := &Operation{Type: OpCreate, SuffixData: suffixData, Delta: delta, HasDelta: true, deltaCanonical: is.delta}
	var hash [encodedSHA256MultihashLen]byte
	encodeSHA256Multihash(&hash, is.suffixData)
	if op.DIDSuffix = suffix; string(hash[:]) != suffix {
		op.DIDSuffix = string(hash[:])
	}
	op.Raw = is.request()
	return op, nil
}

// readInitialState decodes and parses a long-form DID's initial state, which must be the base64url of its
// own JCS form.
func readInitialState(encoded string) (initialState, error) {
	// The request body is at most the state, its head, its middle and a brace: room for it comes with the
	// decoded bytes.
	raw, err := decodeBase64URL(encoded, len(requestHead)+len(requestMid)+1+base64.RawURLEncoding.DecodedLen(len(encoded)))
	if err != nil {
		return initialState{}, err
	}
	raw, spare := raw[:len(raw):len(raw)], raw[len(raw):len(raw):cap(raw)]
	jcs := jcsCheck{spanKeys: [2]string{"delta", "suffixData"}}
	state, err := parseJSON(raw, true, &jcs) // raw is ours, and is never changed
	if err != nil {
		return initialState{}, &Error{Code: CodeDidInitialStateJcsIsNotJson, Message: "Long form initial state should be encoded jcs.", Err: err}
	}
	if !jcs.isJCS() || !isCanonicalBase64URL(encoded, len(raw)) {
		return initialState{}, jsError(CodeDidInitialStateJcsIsNotJcs, "Initial state object and JCS string mismatch.")
	}
	is := initialState{raw: raw, value: state, indexKey: jcs.indexKey, spare: spare}
	if at := jcs.spans[0]; at[1] > 0 {
		is.delta = raw[at[0]:at[1]:at[1]]
	}
	if at := jcs.spans[1]; at[1] > 0 {
		is.suffixData = raw[at[0]:at[1]:at[1]]
	}
	return is, nil
}

// request is the body the reference parses, JSON.stringify({type: "create", suffixData, delta}). Parsed
// from canonical text, a value stringifies as its JCS slice unless some object has an array-index key,
// which JavaScript lists first.
func (is *initialState) request() []byte {
	suffixData, delta := is.value.Field("suffixData"), is.value.Field("delta")
	if is.indexKey && (hasArrayIndexKey(suffixData) || hasArrayIndexKey(delta)) {
		return Object(Member{"type", String(string(OpCreate))}, Member{"suffixData", suffixData}, Member{"delta", delta}).Stringify()
	}
	b := is.spare[:0]
	if n := len(requestHead) + len(is.suffixData) + len(requestMid) + len(is.delta) + 1; cap(b) < n {
		b = make([]byte, 0, n)
	}
	b = append(append(append(append(append(b, requestHead...), is.suffixData...), requestMid...), is.delta...), '}')
	return b[:len(b):len(b)]
}

// The request body around the suffix data and the delta.
const (
	requestHead = `{"type":"create","suffixData":`
	requestMid  = `,"delta":`
)

// hasArrayIndexKey reports whether some object in v has a key that is an array index.
func hasArrayIndexKey(v Value) bool {
	return anyKey(v, func(k string) bool { _, ok := arrayIndex(k); return ok })
}

// isCanonicalBase64URL reports whether s, which decoded to n bytes, is their base64url encoding: Node's
// decoder (DecodeBase64URL) drops a lone last character and ignores the spare bits of the last one, and
// the reference compares the state's encoding with s.
func isCanonicalBase64URL(s string, n int) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(n) {
		return false
	}
	var spare byte
	switch len(s) % 4 {
	case 2:
		spare = 0x0F // the last character carries 2 bits of data
	case 3:
		spare = 0x03 // 4 bits
	default:
		return true
	}
	return byte(strings.IndexByte(base64URLAlphabet, s[len(s)-1]))&spare == 0
}
