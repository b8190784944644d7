package sidetree

import (
	"strconv"
	"testing"
)

// TestIDSet adds ids to a set in the list it starts with and past it, where a map takes over, and checks
// that each is new exactly once.
func TestIDSet(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 100} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			var s idSet
			for i := range n {
				if s.add(strconv.Itoa(i)) {
					t.Fatalf("id %d seen before it was added", i)
				}
			}
			for i := range n {
				if !s.add(strconv.Itoa(i)) {
					t.Fatalf("id %d of %d not seen again", i, n)
				}
			}
			if s.add("new") {
				t.Fatal("a new id was seen")
			}
		})
	}
}

// TestIDSetLinear: past the first few ids the set is a map, so a hostile list of thousands costs a
// probe per id, not a scan of every id before it.
func TestIDSetLinear(t *testing.T) {
	ids := make([]string, 4096)
	for i := range ids {
		ids[i] = strconv.Itoa(i)
	}
	var s idSet
	for _, id := range ids {
		s.add(id)
	}
	if s.many == nil || len(s.many) != len(ids) {
		t.Fatalf("past %d ids the set is not a map", len(s.few))
	}
}

// TestValidateDocumentRepeatedIDs: a key or service id repeated, within the first few and past them,
// is the reference's rejection.
func TestValidateDocumentRepeatedIDs(t *testing.T) {
	keys := func(ids ...string) string {
		s := ""
		for i, id := range ids {
			if i > 0 {
				s += ","
			}
			s += `{"id":"` + id + `","type":"EcdsaSecp256k1VerificationKey2019","publicKeyJwk":{}}`
		}
		return `{"publicKeys":[` + s + `]}`
	}
	services := func(ids ...string) string {
		s := ""
		for i, id := range ids {
			if i > 0 {
				s += ","
			}
			s += `{"id":"` + id + `","type":"t","serviceEndpoint":"https://a.example"}`
		}
		return `{"services":[` + s + `]}`
	}
	many := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	for _, tc := range []struct {
		name, doc string
		want      Code
	}{
		{"keys distinct", keys(many...), ""},
		{"key repeated", keys("a", "b", "a"), CodeDocumentComposerPublicKeyIdDuplicated},
		{"key repeated past the list", keys(append(many, "b")...), CodeDocumentComposerPublicKeyIdDuplicated},
		{"services distinct", services(many...), ""},
		{"service repeated", services("a", "a"), CodeDocumentComposerPatchServiceIdNotUnique},
		{"service repeated past the list", services(append(many, "j")...), CodeDocumentComposerPatchServiceIdNotUnique},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ParseJSON([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if got := CodeOf(validateDocument(doc)); got != tc.want {
				t.Fatalf("code %q, want %q", got, tc.want)
			}
		})
	}
}
