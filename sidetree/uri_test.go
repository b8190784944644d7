package sidetree

import "testing"

var endpointSamples = []string{
	"https://dwn.example.com", "https://dwn.example.com/path?q=1#f", "http://a", "https://", "http:///path",
	"https://?q", "https://#f", "https://user@host", "https://@host", "https://host:8080/x", "https://host:abc",
	"https://[::1]/", "https://[", "https://:80", "HTTPS://host", "Https://", "https:/host", "https:host",
	"urn:uuid:123e4567-e89b-12d3-a456-426614174000", "urn:uuid:nope", "urn:", "urn:isbn:1", "mailto:a@b",
	"", "x", "https://ho\nst/", "https://host\x00", "https://h\xffost", "https://a/@[:", "https://a?@", "https://a#:",
}

// TestPlainHTTPEndpointAgreesWithPattern checks the shortcut against the pattern wherever it answers.
func TestPlainHTTPEndpointAgreesWithPattern(t *testing.T) {
	answered := 0
	for _, s := range endpointSamples {
		valid, known := plainHTTPEndpoint(s)
		if !known {
			continue
		}
		answered++
		if want := endpointByPattern(s); valid != want {
			t.Errorf("%q: shortcut says %v, the pattern %v", s, valid, want)
		}
	}
	if answered < 10 {
		t.Fatalf("the shortcut answered only %d samples", answered)
	}
}

func FuzzPlainHTTPEndpoint(f *testing.F) {
	for _, s := range endpointSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if valid, known := plainHTTPEndpoint(s); known && valid != endpointByPattern(s) {
			t.Fatalf("%q: shortcut says %v, the pattern does not", s, valid)
		}
	})
}
