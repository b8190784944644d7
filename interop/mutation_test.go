package interop

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// mutate returns a copy of v with one random change at a random place: a property removed, a value
// replaced by another JSON type, an unknown property added, a string altered. It is how a careless or
// hostile client's requests differ from good ones, and both nodes must answer them identically.
func mutate(v sidetree.Value, rng *rand.Rand) sidetree.Value {
	var count int
	countNodes(v, &count)
	target := rng.IntN(count)
	var seen int
	return mutateAt(v, target, &seen, rng)
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

func replacement(v sidetree.Value, rng *rand.Rand) sidetree.Value {
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

func mutateAt(v sidetree.Value, target int, seen *int, rng *rand.Rand) sidetree.Value {
	here := *seen
	*seen++
	if here == target {
		if v.IsObject() && rng.IntN(2) == 0 {
			out := v.DeepCopy()
			if ms := out.Members(); len(ms) > 0 && rng.IntN(2) == 0 {
				out.Delete(ms[rng.IntN(len(ms))].Key)
			} else {
				out.Set([]string{"extra", "id", "type", "0"}[rng.IntN(4)], sidetree.String("x"))
			}
			return out
		}
		return replacement(v, rng)
	}
	switch {
	case v.IsObject():
		out := sidetree.Object()
		for _, m := range v.Members() {
			out.Set(m.Key, mutateAt(m.Value, target, seen, rng))
		}
		return out
	case v.Kind() == sidetree.KindArray:
		elems := make([]sidetree.Value, len(v.Elems()))
		for i, e := range v.Elems() {
			elems[i] = mutateAt(e, target, seen, rng)
		}
		return sidetree.Array(elems...)
	}
	return v
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
				requests = append(requests, mutate(body, rng).Stringify())
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
		did := "did:ion:" + suffix
		sameSubmission(t, did, referenceResolve(t, ref, "ion", did, fromSidetree(mixed)), ourResolve("ion", did, mixed))
	}
	if len(codes) < 10 {
		t.Errorf("mutations reached only %d distinct error codes: %v", len(codes), codes)
	}
	var names []string
	for c := range codes {
		names = append(names, c)
	}
	t.Logf("error codes reached: %s; answers whose message differs: %d", strings.Join(names, " "), messageMismatches.Load())
}
