package interop

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// longForm builds did:<method>:<suffix>:<base64url(encoded)> where encoded is the initial state's bytes as
// given (canonical or not).
func longForm(method, suffix string, encoded []byte) string {
	return "did:" + method + ":" + suffix + ":" + sidetree.EncodeBase64URL(encoded)
}

func canonical(t *testing.T, v sidetree.Value) []byte {
	t.Helper()
	c, err := v.Canonicalize()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// malformedDIDs lists DIDs that are wrong in every way Did.create and the long-form checks can see:
// prefixes and methods, empty suffixes, initial states that are not base64url, not JSON, not canonical,
// too large, or carry an invalid create operation, and suffixes that do not match the initial state.
func malformedDIDs(t *testing.T, rng *rand.Rand) []string {
	t.Helper()
	suffix, valid, _ := ourHistory(t, 7)
	initial := valid[strings.LastIndex(valid, ":")+1:]
	raw, err := sidetree.DecodeBase64URL(initial)
	if err != nil {
		t.Fatal(err)
	}
	state, err := sidetree.ParseJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	delta, _ := state.Get("delta")
	suffixData, _ := state.Get("suffixData")
	with := func(key string, v sidetree.Value) sidetree.Value {
		out := state.DeepCopy()
		out.Set(key, v)
		return out
	}
	big := sidetree.Object(
		sidetree.Member{Key: "patches", Value: sidetree.Array(sidetree.Object(
			sidetree.Member{Key: "action", Value: sidetree.String("remove-services")},
			sidetree.Member{Key: "ids", Value: sidetree.Array(sidetree.String(strings.Repeat("a", 1200)))},
		))},
		sidetree.Member{Key: "updateCommitment", Value: sidetree.String(suffix)},
	)
	dids := []string{
		valid, "did:ion:" + suffix, "did:ion:" + suffix + ":", "did:ion:" + suffix + "::" + initial,
		"did:ion", "did:ion:", "did:ion::" + initial, "did:ion:test:" + suffix, "did:web:example.com",
		"DID:ION:" + suffix, "did:ion:did:ion:" + suffix, "did:ion:" + suffix + ":did:ion:" + initial,
		"did:ion:" + strings.Repeat("x", 2000), "did:ion:é" + suffix, "did:ion:" + suffix + ":" + initial + "=",
		"did:ion:" + suffix + ":" + initial + "!", "did:ion:" + suffix + ":" + initial[:len(initial)-1],
		longForm("ion", suffix, []byte("not json")),
		longForm("ion", suffix, []byte("null")),
		longForm("ion", suffix, []byte("[]")),
		longForm("ion", suffix, []byte("{}")),
		longForm("ion", suffix, []byte(`"x"`)),
		longForm("ion", suffix, []byte("1e+21")),
		longForm("ion", suffix, []byte(" "+string(raw))),
		longForm("ion", suffix, state.Stringify()), // key order of the request, not JCS
		longForm("ion", suffix, canonical(t, with("delta", big))),
		longForm("ion", suffix, canonical(t, with("delta", sidetree.Null()))),
		longForm("ion", suffix, canonical(t, sidetree.Object(sidetree.Member{Key: "delta", Value: delta}))),
		longForm("ion", suffix, canonical(t, with("suffixData", sidetree.String("x")))),
		longForm("ion", suffix, canonical(t, with("suffixData", sidetree.Array()))),
		longForm("ion", suffix, canonical(t, with("suffixData", sidetree.Null()))),
		longForm("ion", suffix, canonical(t, with("extra", sidetree.Bool(true)))),
		longForm("ion", "EiA"+suffix[3:], raw),
		longForm("ion", sidetree.EncodeBase64URL(append([]byte{0x11, 20}, make([]byte, 20)...)), raw),
		longForm("ion:test", suffix, raw),
	}
	// Random changes to the initial state, encoded canonically so the later checks are reached.
	for range 150 {
		changed := mutateRequest(sidetree.Object(sidetree.Member{Key: "delta", Value: delta}, sidetree.Member{Key: "suffixData", Value: suffixData}), rng)
		c, err := changed.Canonicalize()
		if err != nil {
			continue
		}
		s := suffix
		if rng.IntN(2) == 0 {
			if sd, ok := changed.Get("suffixData"); ok {
				if scd, err := sd.Canonicalize(); err == nil {
					s = sidetree.HashThenEncode(scd) // the suffix the changed suffix data has
				}
			}
		}
		dids = append(dids, longForm("ion", s, c))
	}
	return dids
}

// TestMalformedDIDs resolves malformed DIDs with both resolvers and compares the answers byte for byte.
func TestMalformedDIDs(t *testing.T) {
	ref := startReference(t)
	rng := rand.New(rand.NewPCG(5, 5))
	statuses, codes := map[int]int{}, map[string]bool{}
	for _, did := range malformedDIDs(t, rng) {
		for _, method := range []string{"ion", "ion:test"} {
			want := referenceResolve(t, ref, method, did, nil)
			statuses[want.Status]++
			if want.Body != nil && want.Status == 400 {
				code, _ := errorOf(*want.Body)
				codes[code] = true
			}
			sameResolution(t, method+" "+did, want, ourResolve(t, method, did, nil))
		}
	}
	if statuses[400] < 50 || statuses[200] == 0 || statuses[404] == 0 || len(codes) < 25 {
		t.Errorf("malformed DIDs reached only statuses %v and %d error codes", statuses, len(codes))
	}
	names := slices.Sorted(maps.Keys(codes))
	t.Logf("statuses %v; %d error codes: %s", statuses, len(names), strings.Join(names, " "))
}
