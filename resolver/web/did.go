package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// maxDIDLength bounds what we parse: a domain of 253 bytes and a few path segments.
const maxDIDLength = 2048

// DocumentURL maps a did:web DID to the URL of its document, as the did:web method specifies: the
// domain (with an optional port written "%3A"), then either "/.well-known/did.json" or the ':'-separated
// path followed by "/did.json". IP addresses are not valid did:web domains.
func DocumentURL(did string) (string, error) {
	msi, ok := strings.CutPrefix(did, "did:web:")
	if !ok {
		return "", fmt.Errorf("not a did:web DID")
	}
	if len(did) > maxDIDLength {
		return "", fmt.Errorf("did:web DID longer than %d bytes", maxDIDLength)
	}
	if strings.ContainsAny(msi, "/?#") {
		return "", fmt.Errorf("did:web DID URL with path, query or fragment: resolve the DID only")
	}
	parts := strings.Split(msi, ":")
	host, err := parseHost(parts[0])
	if err != nil {
		return "", err
	}
	u := url.URL{Scheme: "https", Host: host}
	if len(parts) == 1 {
		u.Path = "/.well-known/did.json"
		return u.String(), nil
	}
	segments := make([]string, 0, len(parts))
	for _, p := range parts[1:] {
		seg, err := url.PathUnescape(p)
		if err != nil {
			return "", fmt.Errorf("did:web path segment %q: %w", p, err)
		}
		if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "/\\?#") || !validChars(p) {
			return "", fmt.Errorf("did:web path segment %q is not allowed", p)
		}
		segments = append(segments, url.PathEscape(seg))
	}
	u.RawPath = "/" + strings.Join(segments, "/") + "/did.json"
	u.Path, _ = url.PathUnescape(u.RawPath)
	return u.String(), nil
}

// validChars checks DID syntax idchar: ALPHA / DIGIT / "." / "-" / "_" / pct-encoded.
func validChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			i += 2
		default:
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// parseHost checks the domain part: a DNS name, optionally followed by %3A and a port.
func parseHost(s string) (string, error) {
	name, port, hasPort := strings.Cut(s, "%3A")
	if !hasPort {
		name, port, hasPort = strings.Cut(s, "%3a")
	}
	if hasPort {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
			return "", fmt.Errorf("did:web port %q is invalid", port)
		}
	}
	if len(name) == 0 || len(name) > 253 {
		return "", fmt.Errorf("did:web domain %q has an invalid length", name)
	}
	allDigits := true
	for _, label := range strings.Split(name, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return "", fmt.Errorf("did:web domain %q is not a valid host name", name)
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-':
				allDigits = false
			case c >= '0' && c <= '9':
			default:
				return "", fmt.Errorf("did:web domain %q is not a valid host name", name)
			}
		}
	}
	if allDigits {
		return "", fmt.Errorf("did:web domain %q is an IP address", name)
	}
	if hasPort {
		return name + ":" + port, nil
	}
	return name, nil
}
