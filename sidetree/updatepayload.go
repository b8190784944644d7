package sidetree

import (
	"bytes"
	"encoding/base64"
	"strings"
	"unsafe"
)

// An update's signed data payload as ION's writers (ion-sdk, the reference) write it: JSON.stringify of
// {updateKey: {kty, crv, x, y}, deltaHash}, members in that order. Between the parts are the key's x and
// y (43 base64url characters each) and the delta hash.
const (
	plainUpdateHead  = `{"updateKey":{"kty":"EC","crv":"secp256k1","x":"`
	plainUpdateXY    = `","y":"`
	plainUpdateDelta = `"},"deltaHash":"`
	plainUpdateTail  = `"}`
	plainUpdateLen   = len(plainUpdateHead) + 43 + len(plainUpdateXY) + 43 + len(plainUpdateDelta) + encodedSHA256MultihashLen + len(plainUpdateTail)
)

// PlainUpdateValid reports whether j's payload is an update's signed data in the form ION's writers give
// it, a secp256k1 key and a SHA-256 delta hash, read without building its JSON tree: such a payload
// parses (PayloadValue) to exactly that object, and so passes ValidateUpdateSignedData. False says only
// that the payload is not of that form: PayloadValue and ValidateUpdateSignedData then decide, and give
// the reference's meaning and error to everything else. A batch's proof file is thousands of these; a
// reader that only checks them need not parse each into a tree it drops at once.
//
// The payload is decoded into r's current block and the memory given back: nothing keeps it.
func (r *PayloadReader) PlainUpdateValid(j JWS) bool {
	// Checked before decoding, so that any other payload costs nothing here.
	if base64.RawURLEncoding.DecodedLen(len(j.Payload)) != plainUpdateLen || len(j.Payload)%4 == 1 {
		return false
	}
	if cap(r.buf)-len(r.buf) < plainUpdateLen {
		r.buf = make([]byte, 0, max(payloadBlockBytes, plainUpdateLen))
	}
	start := len(r.buf)
	out, err := decodeTrimmedBase64URL(r.buf[start:start+plainUpdateLen], j.Payload, j.Payload)
	if err != nil || len(out) != plainUpdateLen {
		return false
	}
	return isPlainUpdate(out)
}

// PlainUpdateJWS is ParseCompactJWS of v then PlainUpdateValid of the JWS, where both pass and the header
// is the one ION's writers write: ok then says that ParseCompactJWS returns this JWS and that its payload
// passes ValidateUpdateSignedData. The payload is not scanned for its alphabet and then decoded: decoding
// it checks the alphabet. False says only that ParseCompactJWS and the general path decide.
func (r *PayloadReader) PlainUpdateJWS(v Value) (JWS, bool) {
	s, ok := v.Str()
	if !ok {
		return JWS{}, false
	}
	protected, rest, _ := strings.Cut(s, ".")
	payload, signature, ok := strings.Cut(rest, ".")
	if !ok || protected != es256kHeader || strings.IndexByte(signature, '.') >= 0 || !IsBase64URL(signature) {
		return JWS{}, false
	}
	j := JWS{Protected: protected, Payload: payload, Signature: signature}
	if !r.PlainUpdateValid(j) {
		return JWS{}, false
	}
	return j, true
}

// isPlainUpdate reports whether b is the plain form of an update's payload (see PlainUpdateValid).
func isPlainUpdate(b []byte) bool {
	parts := [...]struct {
		fixed string
		value int // the length of the base64url value after fixed
	}{{plainUpdateHead, 43}, {plainUpdateXY, 43}, {plainUpdateDelta, encodedSHA256MultihashLen}, {plainUpdateTail, 0}}
	for _, p := range parts {
		if !bytes.HasPrefix(b, []byte(p.fixed)) {
			return false
		}
		b = b[len(p.fixed):]
		if p.value == 0 {
			continue
		}
		if len(b) < p.value {
			return false
		}
		// The value's bytes are read in place: b is not changed while they are.
		value := unsafe.String(&b[0], p.value)
		// The delta hash must pass ValidateEncodedMultihash as it is: the usual SHA-256 multihash.
		if p.fixed == plainUpdateDelta && !isEncodedSHA256Multihash(value) || !IsBase64URL(value) {
			return false
		}
		b = b[p.value:]
	}
	return len(b) == 0
}
