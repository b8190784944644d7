package linkeddomains

import "testing"

// FuzzParse feeds arbitrary DID configuration resources to the parser and origins to the normalizer.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"@context":"https://identity.foundation/.well-known/did-configuration/v1","linked_dids":["a.b.c",{"x":1}]}`), "https://example.com")
	f.Add([]byte(`{"linked_dids":null}`), "https://EXAMPLE.com:443/")
	f.Fuzz(func(t *testing.T, data []byte, origin string) {
		if c, err := Parse(data); err == nil {
			if c.Context != ContextV1 || len(c.LinkedDIDs) > maxLinkedDIDs {
				t.Fatalf("accepted %+v", c)
			}
		}
		if n, err := NormalizeOrigin(origin); err == nil {
			if again, err := NormalizeOrigin(n); err != nil || again != n {
				t.Fatalf("%q → %q → %q, %v", origin, n, again, err)
			}
		}
	})
}
