package sidetree

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/ionode/ionode/internal/worktest"
)

// adversarialJSON is hostile input for a JSON reader at size n: worktest's valid JSON shapes, and the
// near-JSON that only yieldable-json reads.
func adversarialJSON() map[string]func(n int) []byte {
	out := map[string]func(n int) []byte{
		"backslash runs":  func(n int) []byte { return []byte(`["` + strings.Repeat(`\\\\\"`, n) + `"]`) },
		"parse errors":    func(n int) []byte { return []byte("[" + strings.Repeat("t,", n) + "1]") },
		"nested errors":   func(n int) []byte { return []byte(strings.Repeat("[t,", n) + strings.Repeat("]", n)) },
		"unclosed string": func(n int) []byte { return []byte(`["` + strings.Repeat(`a\"`, n)) },
		"spaces":          func(n int) []byte { return []byte("[" + strings.Repeat(" ", n) + "1]") },
		"array keys":      func(n int) []byte { return []byte("{" + strings.Repeat(`[1,2,3]:1,`, n) + `"b":1}`) },
	}
	for name, gen := range worktest.HostileJSON() {
		out[name] = func(n int) []byte { return []byte(gen(n)) }
	}
	return out
}

// TestJSONReadersLinear: doubling hostile input at most about doubles the work of both JSON readers
// (yieldable-json's, which reads POST bodies, signed data payloads and batch files, and JSON.parse's).
func TestJSONReadersLinear(t *testing.T) {
	readers := map[string]func([]byte) (Value, error){
		"yieldable-json": ParseYieldableJSON,
		"JSON.parse":     ParseJSON,
		// A long-form DID's state is read with its JCS form checked as it goes (jcsCheck).
		"JSON.parse checking JCS": func(data []byte) (Value, error) {
			return parseJSON(data, false, &jcsCheck{spanKeys: [2]string{"delta", "suffixData"}})
		},
	}
	for shape, gen := range adversarialJSON() {
		for name, read := range readers {
			t.Run(name+"/"+shape, func(t *testing.T) {
				n := 4000
				if worktest.Deep(shape) || shape == "nested errors" {
					n = 1000 // within both readers' depth limits, or past them (a refusal costs linear work too)
				}
				worktest.Linear(t, n, gen, func(in []byte) { _, _ = read(in) })
			})
		}
	}
}

// TestSignedDataPayloadLinear: an update whose signed data payload hides a duplicate deltaHash full of
// escapes (what the observer stores from a hostile batch) costs linear work to parse, on the path every
// resolution of the DID takes.
func TestSignedDataPayloadLinear(t *testing.T) {
	gen := func(n int) []byte {
		padding := `"deltaHash":"` + strings.Repeat(`\n`, n) + `",`
		return []byte(`{"updateKey":{"kty":"EC","crv":"secp256k1","x":"` + strings.Repeat("A", 43) + `","y":"` + strings.Repeat("A", 43) + `"},` +
			padding + `"deltaHash":"EiDkAaRnCc7NG7Ui1RkUbEGrWH_GYELGqgV0l2k3ZhAo2A"}`)
	}
	worktest.Linear(t, 2000, gen, func(in []byte) {
		if _, err := ParseYieldableJSON(in); err != nil {
			t.Fatal(err)
		}
	})
}

// TestRequestLinear: a POST /operations body whose delta is a long run of ParseErrors (each carrying the
// rest of the body as its text) or of escapes costs linear work to validate: the delta's size is counted,
// not written out.
func TestRequestLinear(t *testing.T) {
	p := Mainnet().Latest()
	shapes := map[string]func(n int) []byte{
		"parse errors in the delta": func(n int) []byte {
			return []byte(`{"type":"create","suffixData":{},"delta":[` + strings.Repeat("t,", n) + `1]}`)
		},
		"escapes in the delta": func(n int) []byte {
			return []byte(`{"type":"update","delta":{"patches":"` + strings.Repeat(`\n`, n) + `"}}`)
		},
		"escapes outside the delta": func(n int) []byte {
			return []byte(`{"type":"deactivate","x":"` + strings.Repeat(`\u0041`, n) + `"}`)
		},
	}
	for name, gen := range shapes {
		t.Run(name, func(t *testing.T) {
			worktest.Linear(t, 8000, gen, func(in []byte) {
				if _, err := ValidateRequest(in, p); err == nil {
					t.Fatal("accepted")
				}
			})
		})
	}
}

// paddedUpdate is an update whose signed data payload pads a duplicate deltaHash with n escapes, as its
// parts and as the request body they compose.
func paddedUpdate(t *testing.T) func(n int) (suffix, reveal, signed string, body []byte) {
	k, err := GenerateES256K(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub := k.Public().Value()
	return func(n int) (string, string, string, []byte) {
		payload := `{"updateKey":` + string(pub.Stringify()) + `,"deltaHash":"` + strings.Repeat(`\n`, n) + `",` +
			`"deltaHash":"EiDkAaRnCc7NG7Ui1RkUbEGrWH_GYELGqgV0l2k3ZhAo2A"}`
		suffix, reveal := "EiDkAaRnCc7NG7Ui1RkUbEGrWH_GYELGqgV0l2k3ZhAo2A", RevealValueOf(pub)
		signed := EncodeBase64URL([]byte(`{"alg":"ES256K"}`)) + "." + EncodeBase64URL([]byte(payload)) + "." + strings.Repeat("A", 86)
		return suffix, reveal, signed, []byte(`{"type":"update","didSuffix":"` + suffix + `","revealValue":"` + reveal +
			`","signedData":"` + signed + `","delta":{"patches":[],"updateCommitment":"EiDkAaRnCc7NG7Ui1RkUbEGrWH_GYELGqgV0l2k3ZhAo2A"}}`)
	}
}

// TestOperationPayloadLinear: parsing a stored update whose signed data payload pads a duplicate
// deltaHash with escapes (up to the payload limit) is linear; past the limit it is refused unparsed.
func TestOperationPayloadLinear(t *testing.T) {
	update := paddedUpdate(t)
	op := func(n int) []byte { _, _, _, body := update(n); return body }
	worktest.Linear(t, 2000, op, func(in []byte) {
		if _, err := ParseOperation(in); err != nil {
			t.Fatal(err)
		}
	})
	_, err := ParseOperation(op(MaxSignedDataPayloadBytes / 2))
	if CodeOf(err) != CodeInvalidJSON || !strings.Contains(err.Error(), "over the limit") {
		t.Fatalf("a payload over the limit: %v", err)
	}
}

// TestPartsVerdictLinear: the verdict from the parts of such an update costs linear work, and one over
// the payload limit is invalid.
func TestPartsVerdictLinear(t *testing.T) {
	update := paddedUpdate(t)
	signed := func(n int) []byte { _, _, s, _ := update(n); return []byte(s) }
	suffix, reveal, _, _ := update(0)
	worktest.Linear(t, 2000, signed, func(in []byte) {
		if PartsVerdict(OpUpdate, suffix, reveal, string(in)) != VerdictInvalid { // the signature is made up
			t.Fatal("valid")
		}
	})
	if PartsVerdict(OpUpdate, suffix, reveal, string(signed(MaxSignedDataPayloadBytes/2))) != VerdictInvalid {
		t.Fatal("a payload over the limit is valid")
	}
}

// TestJSONSize: the counted size is the written size, for every vector and hostile shape.
func TestJSONSize(t *testing.T) {
	var values []Value
	for _, gen := range adversarialJSON() {
		if v, err := ParseYieldableJSON(gen(50)); err == nil {
			values = append(values, v)
		}
	}
	values = append(values, String("\x00\x1f\"\\\b\f\n\r\t<>\u2028é😀"), String("\xed\xa0\x80x"), Number(1e21), Number(-0.000001), Number(0.1))
	for _, v := range values {
		want := len(v.Stringify())
		if n, ok := v.jsonSize(want); !ok || n != want {
			t.Errorf("%s: counted %d (ok %v), written %d", v.Stringify(), n, ok, want)
		}
		if _, ok := v.jsonSize(want - 1); ok {
			t.Errorf("%s: within a budget one byte too small", v.Stringify())
		}
	}
}
