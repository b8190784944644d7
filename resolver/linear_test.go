package resolver_test

import (
	"testing"

	"github.com/ionode/ionode/internal/worktest"
	"github.com/ionode/ionode/resolver"
)

// TestParseDocumentLinear: a DID document (what did:web fetches) with hostile JSON in a service endpoint
// and an unknown member costs work linear in its size.
func TestParseDocumentLinear(t *testing.T) {
	worktest.EachShape(t, 4000, 1000, func(t *testing.T, n int, gen func(int) string) {
		doc := func(n int) []byte {
			return []byte(`{"@context":["https://www.w3.org/ns/did/v1"],"id":"did:web:example.com",` +
				`"service":[{"id":"#s","type":"LinkedDomains","serviceEndpoint":` + gen(n) + `}],"x":` + gen(n) + `}`)
		}
		worktest.Linear(t, n, doc, func(in []byte) {
			if _, err := resolver.ParseDocument(in); err != nil {
				t.Fatal(err)
			}
		})
	})
}
