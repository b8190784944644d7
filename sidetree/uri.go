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
