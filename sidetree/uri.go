package sidetree

import (
	"regexp"
	"strings"
)

// uriComponents is RFC 3986's appendix-B pattern, the one the reference's URI library (uri-js 4.4) uses.
// It matches every string; a URI is rejected only by the scheme-specific checks below.
var uriComponents = regexp.MustCompile(`(?i)^(?:([^:/?#]+):)?(?://((?:([^/?#@]*)@)?(\[[^/?#\]]+\]|[^/?#:]*)(?::(\d*))?))?([^?#]*)(?:\?([^#]*))?(?:#((?:.|\n|\r)*))?`)

var (
	urnPattern  = regexp.MustCompile(`^([^:]+):(.*)`)
	uuidPattern = regexp.MustCompile(`^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$`)
)

// isValidServiceEndpointURI reports whether the reference accepts a string service endpoint, i.e. whether
// uri-js's parse reports no error: http(s) URIs need a host, URNs need a namespace, urn:uuid a UUID.
// Anything else, including strings that are hardly URIs, passes, as it does in ION.
func isValidServiceEndpointURI(s string) bool {
	if valid, known := plainHTTPEndpoint(s); known {
		return valid
	}
	return endpointByPattern(s)
}

// endpointByPattern is isValidServiceEndpointURI by the pattern alone.
func endpointByPattern(s string) bool {
	m := uriComponents.FindStringSubmatchIndex(s)
	if m == nil {
		return false
	}
	group := func(i int) (string, bool) {
		if m[2*i] < 0 {
			return "", false
		}
		return s[m[2*i]:m[2*i+1]], true
	}
	scheme, _ := group(1)
	switch strings.ToLower(scheme) {
	case "http", "https":
		host, _ := group(4)
		return host != ""
	case "urn":
		path, _ := group(6)
		parts := urnPattern.FindStringSubmatch(path)
		if parts == nil {
			return false
		}
		if strings.ToLower(parts[1]) == "uuid" {
			return uuidPattern.MatchString(parts[2])
		}
	}
	return true
}

// plainHTTPEndpoint answers for the common endpoint without running the pattern (a regexp match cost as
// much as the rest of a long-form DID's validation): a lowercase http:// or https:// URI whose authority
// (up to the first '/', '?' or '#') has no '@', '[' or ':'. The pattern then takes the whole authority as
// the host, so the URI is valid exactly when the authority is not empty. known is false for every other
// string, which the pattern decides.
func plainHTTPEndpoint(s string) (valid, known bool) {
	var rest string
	switch {
	case strings.HasPrefix(s, "https://"):
		rest = s[len("https://"):]
	case strings.HasPrefix(s, "http://"):
		rest = s[len("http://"):]
	default:
		return false, false
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if strings.ContainsAny(rest[:end], "@[:") {
		return false, false
	}
	return end > 0, true
}
