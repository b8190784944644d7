package interop

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// mutate returns a copy of v with one random change at a random place: a property removed, a value
// replaced by another JSON type, an unknown property added, a string altered. It is how a careless or
// hostile client's requests differ from good ones, and both nodes must answer them identically.
func mutate(v sidetree.Value, rng *rand.Rand) sidetree.Value {
	return mutator{rng: rng}.mutate(v)
}

// mutateRequest is mutate with a wider reach, for operation requests: it also changes what compact JWS
// strings carry (payload and protected header), and its values include long, escaped, non-base64url and
// non-SHA-256 strings, odd numbers and duplicated array elements, so that every validation of a request
// (and every error message the reference composes from input) is met. Sometimes it changes two places.
func mutateRequest(v sidetree.Value, rng *rand.Rand) sidetree.Value {
	m := mutator{rng: rng, rich: true}
	v = m.mutate(v)
	if rng.IntN(4) == 0 {
		v = m.mutate(v)
	}
	return v
}

type mutator struct {
	rng  *rand.Rand
	rich bool // mutateRequest's wider reach; mutate's draws stay as they were, so seeds keep their meaning
}

func (m mutator) mutate(v sidetree.Value) sidetree.Value {
	var count int
	countNodes(v, &count)
	target := m.rng.IntN(count)
	var seen int
	return m.mutateAt(v, target, &seen)
}

func countNodes(v sidetree.Value, n *int) {
	*n++
	for _, m := range v.Members() {
		countNodes(m.Value, n)
	}
	for _, e := range v.Elems() {
		countNodes(e, n)
	}
}

func (m mutator) replacement(v sidetree.Value) sidetree.Value {
	rng := m.rng
	if m.rich && rng.IntN(3) == 0 {
		return m.richValue(v)
	}
	switch rng.IntN(9) {
	case 0:
		return sidetree.Null()
	case 1:
		return sidetree.Number(float64(rng.IntN(3)))
	case 2:
		return sidetree.Bool(true)
	case 3:
		return sidetree.Array()
	case 4:
		return sidetree.Object()
	case 5:
		return sidetree.String("")
	case 6:
		return sidetree.Array(v)
	default:
		if s, ok := v.Str(); ok && len(s) > 0 {
			b := []byte(s)
			switch rng.IntN(3) {
			case 0:
				b[rng.IntN(len(b))] ^= 1
			case 1:
				b = b[:rng.IntN(len(b))]
			default:
				b = append(b, "A="[rng.IntN(2)])
			}
			return sidetree.String(string(b))
		}
		return sidetree.String("x")
	}
}

// sha1Multihash is a valid multihash of another algorithm (SHA-1, code 0x11), base64url.
var sha1Multihash = sidetree.EncodeBase64URL(append([]byte{0x11, 20}, make([]byte, 20)...))

// richValue returns a value chosen to reach the checks a plain type change does not: lengths, character
// sets, hash algorithms, duplicates, sizes, and strings whose quoting in messages must match JavaScript's.
func (m mutator) richValue(v sidetree.Value) sidetree.Value {
	rng := m.rng
	switch rng.IntN(14) {
	case 0:
		return sidetree.String(strings.Repeat("a", []int{5, 31, 43, 44, 51}[rng.IntN(5)]))
	case 1:
		return sidetree.String([]string{"a b", "a+/=", "ab.c", "é", `q"u\o`, "tab\there\n", "\u2028", "<x>"}[rng.IntN(8)])
	case 2:
		// A lone surrogate (WTF-8), which JSON.stringify writes as an escape.
		return sidetree.String("a\xed\xa0\x80b")
	case 3:
		return sidetree.String(sha1Multihash)
	case 4:
		return sidetree.String("EiA") // base64url, but not a whole multihash
	case 5:
		return sidetree.Number([]float64{1.5, -1, 1e21, 123456789012345680000, 0.000001, 1e-7}[rng.IntN(6)])
	case 6:
		// Large enough to exceed the delta size limit wherever it lands in a delta.
		return sidetree.String(strings.Repeat("Z", 1001))
	case 7:
		if es := v.Elems(); len(es) > 0 {
			return sidetree.Array(append(append([]sidetree.Value(nil), es...), es[rng.IntN(len(es))])...)
		}
		return sidetree.Array(sidetree.Null(), sidetree.String("x"), sidetree.Array(sidetree.Number(1), sidetree.Number(2)))
	case 8:
		return sidetree.Array(sidetree.Object(), sidetree.Bool(false))
	case 9:
		return sidetree.String("urn:uuid:not-a-uuid")
	case 10:
		return sidetree.String("http://")
	case 11:
		return sidetree.Object(sidetree.Member{Key: "a", Value: sidetree.Array(sidetree.String("q\"x"))})
	case 12:
		return sidetree.String([]string{"authentication", "keyAgreement", "LinkedDomains", "EC", "secp256k1", "ES256K"}[rng.IntN(6)])
	default:
		return sidetree.String("did:ion:" + sha1Multihash)
	}
}

// newPropertyValue is the value of an added property.
func (m mutator) newPropertyValue() sidetree.Value {
	if !m.rich || m.rng.IntN(2) == 0 {
		return sidetree.String("x")
	}
	return m.replacement(sidetree.String("x"))
}

func (m mutator) mutateAt(v sidetree.Value, target int, seen *int) sidetree.Value {
	rng := m.rng
	here := *seen
	*seen++
	if here == target {
		if s, ok := v.Str(); ok && m.rich && strings.Count(s, ".") == 2 && rng.IntN(2) == 0 {
			return sidetree.String(m.mutateJWS(s))
		}
		if v.IsObject() && rng.IntN(2) == 0 {
			out := v.DeepCopy()
			if ms := out.Members(); len(ms) > 0 && rng.IntN(2) == 0 {
				out.Delete(ms[rng.IntN(len(ms))].Key)
			} else {
				keys := []string{"extra", "id", "type", "0"}
				if m.rich {
					keys = append(keys, "purposes", "action", "kid", "1", "x")
				}
				out.Set(keys[rng.IntN(len(keys))], m.newPropertyValue())
			}
			return out
		}
		return m.replacement(v)
	}
	switch {
	case v.IsObject():
		out := sidetree.Object()
		for _, mem := range v.Members() {
			out.Set(mem.Key, m.mutateAt(mem.Value, target, seen))
		}
		return out
	case v.Kind() == sidetree.KindArray:
		elems := make([]sidetree.Value, len(v.Elems()))
		for i, e := range v.Elems() {
			elems[i] = m.mutateAt(e, target, seen)
		}
		return sidetree.Array(elems...)
	}
	return v
}

// mutateJWS changes what a compact JWS carries, keeping it a JWS where it can: the signed data payload
// (most often, so the signed data checks are met) or the protected header; or it spoils a part's encoding.
// The signature no longer matches, which parsing does not check.
func (m mutator) mutateJWS(s string) string {
	rng := m.rng
	parts := strings.Split(s, ".")
	recode := func(part string, change func(sidetree.Value) sidetree.Value) string {
		raw, err := sidetree.DecodeBase64URL(part)
		if err != nil {
			return part
		}
		v, err := sidetree.ParseJSON(raw)
		if err != nil {
			return part
		}
		return sidetree.EncodeBase64URL(change(v).Stringify())
	}
	switch rng.IntN(8) {
	case 0, 1, 2, 3:
		parts[1] = recode(parts[1], m.mutate)
	case 4:
		parts[0] = recode(parts[0], m.mutate)
	case 5:
		headers := []string{`{}`, `{"alg":"ES256K","kid":"k"}`, `{"alg":"EdDSA"}`, `[1]`, `"ES256K"`, `{"alg":["ES256K"]}`, `null`, `{"alg":"ES256K"`}
		parts[0] = sidetree.EncodeBase64URL([]byte(headers[rng.IntN(len(headers))]))
	case 6:
		payloads := []string{`{}`, `null`, `[]`, `"x"`, `{"a":1,"b":2,"c":3}`, `not json`, `{"deltaHash":1,"updateKey":null}`}
		parts[1] = sidetree.EncodeBase64URL([]byte(payloads[rng.IntN(len(payloads))]))
	default:
		i := rng.IntN(3)
		parts[i] = []string{"", "a b", "YQ==", "a.b"}[rng.IntN(4)]
	}
	return strings.Join(parts, ".")
}

// TestMutatedRequests submits mutated valid requests (ionode's and ion-sdk's) to both POST /operations
// handlers and resolves histories containing them with both resolvers.
func TestMutatedRequests(t *testing.T) {
	ref := startReference(t)
	rng := rand.New(rand.NewPCG(42, 7))
	codes := map[string]int{}
	for seed := uint64(1); seed <= 40; seed++ {
		suffix, _, ops := ourHistory(t, 1000+seed)
		var requests [][]byte
		for _, o := range ops {
			body, err := sidetree.ParseJSON(o.Raw)
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				requests = append(requests, mutateRequest(body, rng).Stringify())
			}
		}
		// Each request alone, so the one-pending-operation rule does not hide the validation answer.
		for _, req := range requests {
			want := referenceSubmit(t, ref, [][]byte{req})[0]
			got := ourSubmit(t, [][]byte{req})[0]
			if !sameSubmission(t, string(req), want, got) {
				continue
			}
			if want.Body != nil && want.Status == 400 {
				code, _ := sidetree.ParseJSON([]byte(*want.Body))
				c, _ := code.Get("code")
				s, _ := c.Str()
				codes[s]++
			}
		}
		// Anchored among the valid ones, the mutated operations must be skipped the same way.
		mixed := append([]sidetree.AnchoredOperation(nil), ops...)
		last := ops[len(ops)-1]
		for i, req := range requests {
			typ, _ := sidetree.ParseJSON(req)
			tv, _ := typ.Get("type")
			ts, _ := tv.Str()
			if ts == "" {
				ts = string(sidetree.OpUpdate)
			}
			mixed = append(mixed, sidetree.AnchoredOperation{
				Type: sidetree.OperationType(ts), DIDSuffix: suffix, Raw: req,
				TransactionNumber: last.TransactionNumber + uint64(i%5), TransactionTime: last.TransactionTime, OperationIndex: uint32(100 + i),
			})
		}
		// All at once the first that does not parse is the answer; one at a time, each is met.
		did := "did:ion:" + suffix
		sameResolution(t, did, referenceResolve(t, ref, "ion", did, fromSidetree(mixed)), ourResolve(t, "ion", did, mixed))
		for i := range requests {
			one := append(ops[:len(ops):len(ops)], mixed[len(ops)+i])
			if !sameResolution(t, did, referenceResolve(t, ref, "ion", did, fromSidetree(one)), ourResolve(t, "ion", did, one)) {
				t.Logf("with anchored operation %s", one[len(one)-1].Raw)
			}
		}
	}
	if len(codes) < 40 {
		t.Errorf("mutations reached only %d distinct error codes: %v", len(codes), codes)
	}
	var names []string
	for c := range codes {
		names = append(names, c)
	}
	slices.Sort(names)
	t.Logf("%d error codes reached: %s", len(names), strings.Join(names, " "))
}
