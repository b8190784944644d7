package ionrules

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// LockRouteIdentifier is the lock identifier ION's bitcoin service receives when the core looks up a core
// index file's writerLockId. The core does not escape it: it fetches "<bitcoin service>/locks/" + id with
// node-fetch, so the id goes through WHATWG URL parsing (tabs and newlines dropped, trailing spaces and
// controls trimmed, '?' and '#' end the path, '\' and '/' separate segments, "." and ".." segments and
// their %2e forms resolved, some characters percent-encoded) and Node's legacy url.parse (which escapes
// ' ^ |), and the service's router (koa-router 7.4.0, route "/locks/:identifier", case-insensitive, one
// trailing slash allowed) hands over the segment percent-decoded with decodeURIComponent, or as it is when
// that throws.
//
// routed is false when the request reaches another route or none. For a path matching none of the
// service's routes (the usual case: an identifier containing '/') the service answers 400 and the core
// discards the whole transaction (BlockchainGetLockResponseNotOk is not a retryable error). A path that
// lands on another endpoint ("../time", "../writerlock") gets whatever that endpoint answers, which the
// core takes for a lock without a valid owner (the same outcome as no lock) or, for an error status,
// discards the transaction; that depends on the node, and callers should discard.
//
// For base64url identifiers, which every real writer uses, the result is the identifier itself.
func LockRouteIdentifier(writerLockID string) (id string, routed bool) {
	s := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, writerLockID)
	s = strings.TrimRightFunc(s, func(r rune) bool { return r <= 0x20 })
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	path := []string{"locks"}
	// WHATWG treats a backslash as '/' in http URLs.
	segs := strings.Split(strings.ReplaceAll(s, "\\", "/"), "/")
	for i, seg := range segs {
		last := i == len(segs)-1
		switch {
		case isDoubleDot(seg):
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
			if last {
				path = append(path, "")
			}
		case isSingleDot(seg):
			if last {
				path = append(path, "")
			}
		default:
			path = append(path, escapePathSegment(seg))
		}
	}
	if len(path) == 3 && path[2] == "" {
		path = path[:2]
	}
	if len(path) != 2 || !strings.EqualFold(path[0], "locks") || path[1] == "" {
		return "", false
	}
	return decodeURIComponentOrRaw(path[1]), true
}

func isSingleDot(s string) bool { return s == "." || strings.EqualFold(s, "%2e") }

func isDoubleDot(s string) bool {
	switch strings.ToLower(s) {
	case "..", ".%2e", "%2e.", "%2e%2e":
		return true
	}
	return false
}

// escapePathSegment applies WHATWG's path percent-encode set, then the legacy parser's escapes.
func escapePathSegment(seg string) string {
	var b strings.Builder
	for _, c := range []byte(seg) {
		switch {
		case c <= 0x20 || c >= 0x7f || strings.IndexByte("\"<>`{}'^|", c) >= 0:
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// decodeURIComponentOrRaw is koa-router's safeDecodeURIComponent: decodeURIComponent, or the text
// unchanged when it throws (a '%' not followed by two hex digits, or escapes that are not UTF-8).
func decodeURIComponentOrRaw(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			out = append(out, s[i])
			continue
		}
		if i+2 >= len(s) {
			return s
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return s
		}
		out = append(out, hi<<4|lo)
		i += 2
	}
	// Escaped bytes must form whole UTF-8 characters; the unescaped text is valid already.
	if !utf8.Valid(out) {
		return s
	}
	return string(out)
}
