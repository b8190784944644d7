package interop

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// seededReader is a deterministic key source so a failing history can be rebuilt from its seed.
type seededReader struct{ r *rand.ChaCha8 }

func (s seededReader) Read(p []byte) (int, error) { return s.r.Read(p) }

type keyGen struct{ r seededReader }

func (g keyGen) es256k(t *testing.T) sidetree.JWK {
	t.Helper()
	k, err := sidetree.GenerateES256K(g.r)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func (g keyGen) docKey(t *testing.T, id string, rng *rand.Rand) sidetree.PublicKey {
	t.Helper()
	var k sidetree.JWK
	var err error
	typ := "EcdsaSecp256k1VerificationKey2019"
	if rng.IntN(3) == 0 {
		k, err = sidetree.GenerateEd25519(g.r)
		typ = "JsonWebKey2020"
	} else {
		k, err = sidetree.GenerateES256K(g.r)
	}
	if err != nil {
		t.Fatal(err)
	}
	all := []string{"authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation", "keyAgreement"}
	var purposes []string
	for _, p := range all {
		if rng.IntN(2) == 0 {
			purposes = append(purposes, p)
		}
	}
	return sidetree.PublicKey{ID: id, Type: typ, JWK: k.Public().Value(), Purposes: purposes}
}

func (g keyGen) document(t *testing.T, rng *rand.Rand) sidetree.Document {
	t.Helper()
	var d sidetree.Document
	for i := range rng.IntN(3) {
		d.PublicKeys = append(d.PublicKeys, g.docKey(t, "key-"+string(rune('a'+i)), rng))
	}
	for i := range rng.IntN(3) {
		endpoint := sidetree.String("https://example.com/" + string(rune('a'+i)))
		if rng.IntN(3) == 0 {
			endpoint = sidetree.Object(sidetree.Member{Key: "origins", Value: sidetree.Array(sidetree.String("https://o.example.org/"))})
		}
		d.Services = append(d.Services, sidetree.Service{ID: "svc" + string(rune('a'+i)), Type: "LinkedDomains", Endpoint: endpoint})
	}
	return d
}

// ourHistory builds a random history for one DID with ionode's request builder, including operations
// that must not apply (stale or unrelated keys, tampered deltas and signatures).
func ourHistory(t *testing.T, seed uint64) (suffix, longForm string, ops []sidetree.AnchoredOperation) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	g := keyGen{seededReader{rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})}}
	p := sidetree.Mainnet().Latest()
	rec, upd := g.es256k(t), g.es256k(t)
	create, err := sidetree.NewCreateRequest("ion", rec, upd, g.document(t, rng), p)
	if err != nil {
		t.Fatal(err)
	}
	suffix = create.DIDSuffix
	type request struct {
		typ  sidetree.OperationType
		body sidetree.Value
	}
	requests := []request{{sidetree.OpCreate, create.Body}}
	var stale []sidetree.JWK
	for s := range 3 + rng.IntN(10) {
		switch c := rng.IntN(12); {
		case c < 7:
			signer := upd
			switch rng.IntN(6) {
			case 0:
				if len(stale) > 0 {
					signer = stale[rng.IntN(len(stale))]
				}
			case 1:
				signer = g.es256k(t)
			}
			next := g.es256k(t)
			var changes sidetree.UpdateChanges
			if rng.IntN(2) == 0 {
				changes.AddServices = []sidetree.Service{{ID: "s" + string(rune('a'+s)), Type: "LinkedDomains", Endpoint: sidetree.String("https://u.example.com/")}}
			}
			if rng.IntN(3) == 0 {
				changes.RemoveServiceIDs = []string{"svca"}
			}
			if rng.IntN(3) == 0 {
				changes.AddPublicKeys = []sidetree.PublicKey{g.docKey(t, "k"+string(rune('a'+s)), rng)}
			}
			if rng.IntN(4) == 0 {
				changes.RemoveKeyIDs = []string{"key-a"}
			}
			if changes.AddServices == nil && changes.RemoveServiceIDs == nil && changes.AddPublicKeys == nil && changes.RemoveKeyIDs == nil {
				changes.RemoveServiceIDs = []string{"none"}
			}
			body, err := sidetree.NewUpdateRequest(suffix, signer, next, changes, p)
			if err != nil {
				t.Fatal(err)
			}
			if rng.IntN(8) == 0 {
				body = tamperDelta(body)
			}
			requests = append(requests, request{sidetree.OpUpdate, body})
			if signer == upd {
				stale = append(stale, upd)
				upd = next
			}
		case c < 10:
			nextRec, nextUpd := g.es256k(t), g.es256k(t)
			body, err := sidetree.NewRecoverRequest(suffix, rec, nextRec, nextUpd, g.document(t, rng), p)
			if err != nil {
				t.Fatal(err)
			}
			requests = append(requests, request{sidetree.OpRecover, body})
			rec = nextRec
			stale = append(stale, upd)
			upd = nextUpd
		default:
			body, err := sidetree.NewDeactivateRequest(suffix, rec, p)
			if err != nil {
				t.Fatal(err)
			}
			requests = append(requests, request{sidetree.OpDeactivate, body})
		}
	}
	order := rng.Perm(len(requests))
	if rng.IntN(2) == 0 {
		// Mostly in order: only a few swaps.
		for i := range order {
			order[i] = i
		}
		for range len(order) / 3 {
			a, b := rng.IntN(len(order)), rng.IntN(len(order))
			order[a], order[b] = order[b], order[a]
		}
	}
	txn := uint64(700_000+rng.IntN(1000)) * 1_000_000
	var index uint32
	for _, i := range order {
		if rng.IntN(3) != 0 {
			txn += uint64(1 + rng.IntN(4))
			index = 0
		}
		ops = append(ops, sidetree.AnchoredOperation{
			Type: requests[i].typ, DIDSuffix: suffix, Raw: requests[i].body.Stringify(),
			TransactionNumber: txn, TransactionTime: txn / 1_000_000, OperationIndex: index,
		})
		index++
	}
	return suffix, create.LongForm, ops
}

// tamperDelta changes the delta after signing, so its hash no longer matches the signed one.
func tamperDelta(body sidetree.Value) sidetree.Value {
	body = body.DeepCopy()
	delta, _ := body.Get("delta")
	delta.Set("updateCommitment", sidetree.String("EiD"+strings.Repeat("A", 43)))
	body.Set("delta", delta)
	return body
}

// TestOurHistories resolves random histories built by ionode with both resolvers: the reference must
// accept our requests and compute what we compute.
func TestOurHistories(t *testing.T) {
	ref := startReference(t)
	outcomes := map[int]int{}
	for seed := uint64(1); seed <= 60; seed++ {
		suffix, longForm, ops := ourHistory(t, seed)
		for _, did := range []string{"did:ion:" + suffix, longForm} {
			want := referenceResolve(t, ref, "ion", did, fromSidetree(ops))
			outcomes[want.Status]++
			if !sameResolution(t, did, want, ourResolve(t, "ion", did, ops)) {
				t.Logf("seed %d", seed)
			}
		}
	}
	// The generator must reach both live and deactivated DIDs, or the comparison proves little.
	if outcomes[200] == 0 || outcomes[410] == 0 {
		t.Errorf("histories reached only statuses %v", outcomes)
	}
}
