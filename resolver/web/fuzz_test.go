package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzDocumentURL checks that every DID the mapping accepts gives an https URL on the DID's host,
// ending in did.json, with no way to inject a user, query, fragment or path traversal.
func FuzzDocumentURL(f *testing.F) {
	for _, s := range []string{"did:web:example.com", "did:web:example.com%3A8443:user:alice", "did:web:a.b:%2e%2e", "did:web:x%3A1:a%2Fb", "did:web:1.2.3.4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, did string) {
		got, err := DocumentURL(did)
		if err != nil {
			return
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("%q → unparsable %q: %v", did, got, err)
		}
		if u.Scheme != "https" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
			t.Fatalf("%q → %q", did, got)
		}
		if !strings.HasSuffix(u.Path, "/did.json") || strings.Contains(u.Path, "/../") || strings.Contains(u.Path, "/./") || strings.Contains(u.Path, "//") {
			t.Fatalf("%q → path %q", did, u.Path)
		}
		host := strings.TrimPrefix(did, "did:web:")
		host, _, _ = strings.Cut(host, ":")
		host, _, _ = strings.Cut(host, "%3")
		if !strings.EqualFold(u.Hostname(), host) {
			t.Fatalf("%q → host %q", did, u.Hostname())
		}
	})
}
