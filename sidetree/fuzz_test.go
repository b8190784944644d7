package sidetree

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addSeedFiles adds every file of testdata/seeds/<dir> to a fuzz target's corpus.
func addSeedFiles(f *testing.F, dir string) {
	f.Helper()
	entries, err := os.ReadDir(filepath.Join("testdata", "seeds", dir))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata", "seeds", dir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func FuzzValidateRequest(f *testing.F) {
	addSeedFiles(f, "operations")
	p := Mainnet().Latest()
	f.Fuzz(func(t *testing.T, data []byte) {
		op, err := ValidateRequest(data, p)
		if err != nil {
			if CodeOf(err) == "" {
				t.Fatalf("rejection without a code: %v", err)
			}
			return
		}
		// Whatever validates must also apply (or be ignored) without panicking, as on the chain.
		state := ApplyParsed(op, 1, nil)
		if op.Type == OpCreate && state == nil {
			t.Fatalf("a valid create yields no state")
		}
	})
}

func FuzzParseDID(f *testing.F) {
	addSeedFiles(f, "dids")
	p := Mainnet().Latest()
	f.Fuzz(func(t *testing.T, data []byte) {
		did, err := ParseDID(string(data), "sidetree", p)
		if err != nil {
			if CodeOf(err) == "" {
				t.Fatalf("rejection without a code: %v", err)
			}
			return
		}
		if did.plain && !jsonPlain(did.String()) {
			t.Fatalf("%q is marked plain", did.String())
		}
		res := ResolveDID(did, nil)
		if did.IsShortForm() && res.Status != 404 {
			t.Fatalf("unanchored short-form DID resolved with %d", res.Status)
		}
		checkAppendResolveDID(t, did, nil) // the node's serialized answer is the tree's
	})
}

func FuzzParseCompactJWS(f *testing.F) {
	addSeedFiles(f, "jws")
	key := Object(Member{"kty", String("EC")}, Member{"crv", String("secp256k1")},
		Member{"x", String("nIqlRCx0eyBSXcQnqDpReSv4zuWhwCRWssoc9L_nj6A")}, Member{"y", String("iG29VK6l2U5sKBZUSJePvyFusXgSlK2dDFlWaCM8F7k")})
	f.Fuzz(func(t *testing.T, data []byte) {
		jws, err := ParseCompactJWS(String(string(data)))
		if err != nil {
			if CodeOf(err) == "" {
				t.Fatalf("rejection without a code: %v", err)
			}
			return
		}
		_, _ = jws.PayloadValue()
		_ = jws.VerifyES256K(key)
	})
}

func FuzzValidateJWK(f *testing.F) {
	addSeedFiles(f, "jwk")
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseJSON(data)
		if err != nil {
			return
		}
		if err := ValidateES256KValue(v); err != nil {
			if CodeOf(err) == "" {
				t.Fatalf("rejection without a code: %v", err)
			}
			return
		}
		_, _ = es256kPublicKey(v)
		_ = RevealValueOf(v)
		_ = CommitmentOf(v)
	})
}

func FuzzParseYieldableJSON(f *testing.F) {
	addSeedFiles(f, "yieldable")
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseYieldableJSON(data)
		if err != nil {
			if CodeOf(err) != CodeInvalidJSON {
				t.Fatalf("rejection with code %q", CodeOf(err))
			}
			return
		}
		if n, ok := v.jsonSize(1 << 20); ok && n != len(v.Stringify()) {
			t.Fatalf("counted size %d, written %d", n, len(v.Stringify()))
		}
		// On JSON without the parser's known differences (escapes, signed exponents, __proto__), it must
		// agree with JSON.parse.
		s := string(data)
		if strings.ContainsAny(s, `\`) || strings.Contains(s, "__proto__") || strings.Contains(s, "e-") || strings.Contains(s, "e+") ||
			strings.Contains(s, "E-") || strings.Contains(s, "E+") {
			return
		}
		if j, err := ParseJSON(data); err == nil && !v.Equal(j) {
			t.Fatalf("yieldable %s, JSON.parse %s", v.Stringify(), j.Stringify())
		}
	})
}
