package linkeddomains

import (
	"testing"

	"github.com/ionode/ionode/internal/worktest"
)

// TestParseLinear: a DID configuration resource with hostile JSON in its members costs work linear in
// its size.
func TestParseLinear(t *testing.T) {
	worktest.EachShape(t, 4000, 1000, func(t *testing.T, n int, gen func(int) string) {
		doc := func(n int) []byte {
			return []byte(`{"@context":"` + ContextV1 + `","linked_dids":["a.b.c",` + gen(n) + `],"x":` + gen(n) + `}`)
		}
		worktest.Linear(t, n, doc, func(in []byte) {
			if _, err := Parse(in); err != nil {
				t.Fatal(err)
			}
		})
	})
}
