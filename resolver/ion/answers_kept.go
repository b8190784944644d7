package ion

import (
	"encoding/binary"
	"slices"
	"strings"
)

// A kept answer's bytes: the DID's generation when it was computed (8 bytes, big-endian), the status
// (2), flags (1: published), the suffix's length (2) and the suffix, the ETag's length (1) and the
// ETag, then the body.
const keptHeader = 8 + 2 + 1 + 2

const keptPublished = 1

// keptAnswer is a kept answer's header decoded.
type keptAnswer struct {
	generation uint64
	suffix     string // to read the DID's generation again
}

// encodeKept appends an answer to keep, computed at generation for the DID of suffix, to dst (the
// cache keeps a copy: dst may be a reused buffer).
func encodeKept(dst []byte, generation uint64, suffix string, a *Answer) []byte {
	if len(suffix) > 0xffff || len(a.ETag) > 0xff || a.Status < 0 || a.Status > 0xffff {
		return dst // never for a did:ion answer; an empty value decodes as nothing
	}
	n := len(dst)
	dst = slices.Grow(dst, keptHeader+len(suffix)+1+len(a.ETag)+len(a.Body))[:n+keptHeader]
	v := dst[n:]
	binary.BigEndian.PutUint64(v, generation)
	binary.BigEndian.PutUint16(v[8:], uint16(a.Status))
	v[10] = 0
	if a.Published {
		v[10] = keptPublished
	}
	binary.BigEndian.PutUint16(v[11:], uint16(len(suffix)))
	dst = append(dst, suffix...)
	dst = append(dst, byte(len(a.ETag)))
	dst = append(dst, a.ETag...)
	return append(dst, a.Body...)
}

// decodeKept reads what encodeKept wrote into a, whose body is v's tail (v is the caller's copy). The
// suffix is read as a part of did, the DID the answer is kept under, which names it: no copy on a hit.
func decodeKept(v []byte, did string, a *Answer) (keptAnswer, bool) {
	if len(v) < keptHeader {
		return keptAnswer{}, false
	}
	n := int(binary.BigEndian.Uint16(v[11:]))
	rest := v[keptHeader:]
	if len(rest) < n+1 || len(rest) < n+1+int(rest[n]) {
		return keptAnswer{}, false
	}
	suffix, etagLen := rest[:n], int(rest[n])
	etag, body := rest[n+1:n+1+etagLen], rest[n+1+etagLen:]
	a.Status, a.Body = int(binary.BigEndian.Uint16(v[8:])), body[:len(body):len(body)]
	a.Published, a.ETag = v[10]&keptPublished != 0, string(etag)
	return keptAnswer{generation: binary.BigEndian.Uint64(v), suffix: segmentOf(did, suffix)}, true
}

// segmentOf is the colon-separated segment of did equal to b (a DID's suffix is one), or a copy of b
// when did has none.
func segmentOf(did string, b []byte) string {
	for rest := did; rest != ""; {
		seg, tail, _ := strings.Cut(rest, ":")
		if seg == string(b) {
			return seg
		}
		rest = tail
	}
	return string(b)
}
