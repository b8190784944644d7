package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// memCAS is a content store for tests: a file's URI is a hash of its bytes, like a CID.
type memCAS map[string][]byte

func (m memCAS) put(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	uri := "Qm" + hex.EncodeToString(sum[:22])
	m[uri] = append([]byte(nil), data...)
	return uri, nil
}

var errMissing = errors.New("not found")

func (m memCAS) fetch(uri string, max int) ([]byte, error) {
	data, ok := m[uri]
	if !ok {
		return nil, errMissing
	}
	if len(data) > max {
		return nil, fmt.Errorf("too large")
	}
	return data, nil
}

type keySource struct{ r *rand.ChaCha8 }

func (k keySource) Read(p []byte) (int, error) { return k.r.Read(p) }

// randomBatch makes n requests for n distinct DIDs: creates of new DIDs, and updates, recovers and
// deactivates of DIDs created earlier (returned with their creates, to resolve against).
func randomBatch(t testing.TB, n int, seed uint64) (requests [][]byte, creates map[string][]byte) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	keys := keySource{rand.NewChaCha8([32]byte{byte(seed), 9})}
	p := sidetree.Mainnet().Latest()
	creates = map[string][]byte{}
	key := func() sidetree.JWK {
		k, err := sidetree.GenerateES256K(keys)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	for len(requests) < n {
		rec, upd := key(), key()
		doc := sidetree.Document{Services: []sidetree.Service{{ID: fmt.Sprintf("s%d", len(requests)), Type: "LinkedDomains", Endpoint: sidetree.String("https://example.com/")}}}
		c, err := sidetree.NewCreateRequest("ion", rec, upd, doc, p)
		if err != nil {
			t.Fatal(err)
		}
		var body sidetree.Value
		switch rng.IntN(4) {
		case 0:
			body = c.Body
		case 1:
			body, err = sidetree.NewUpdateRequest(c.DIDSuffix, upd, key(), sidetree.UpdateChanges{RemoveServiceIDs: []string{"x"}}, p)
			creates[c.DIDSuffix] = c.Body.Stringify()
		case 2:
			body, err = sidetree.NewRecoverRequest(c.DIDSuffix, rec, key(), key(), doc, p)
			creates[c.DIDSuffix] = c.Body.Stringify()
		default:
			body, err = sidetree.NewDeactivateRequest(c.DIDSuffix, rec, p)
			creates[c.DIDSuffix] = c.Body.Stringify()
		}
		if err != nil {
			t.Fatal(err)
		}
		requests = append(requests, body.Stringify())
	}
	return requests, creates
}

func TestRoundTrip(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	for _, n := range []int{1, 2, 7, 50, 400} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			requests, creates := randomBatch(t, n, uint64(n))
			cas := memCAS{}
			anchor, files, err := Build(requests, "", p, cas.put)
			if err != nil {
				t.Fatal(err)
			}
			// Building again gives the same files: the writer relies on it after a crash.
			again, _, _ := Build(requests, "", p, memCAS{}.put)
			if again != anchor {
				t.Fatalf("build is not deterministic: %s vs %s", anchor, again)
			}
			if files[len(files)-1].Kind != "coreIndex" {
				t.Fatalf("core index file written last? %v", files[len(files)-1].Kind)
			}
			var count int
			var coreURI string
			fmt.Sscanf(anchor, "%d.%s", &count, &coreURI)
			r := &Reader{Parameters: p, Fetch: cas.fetch}
			ops, err := r.Read(Transaction{Number: 700_000_000_005, Time: 700_000, OperationCount: count, CoreIndexFileURI: coreURI})
			if err != nil {
				t.Fatal(err)
			}
			if len(ops) != n {
				t.Fatalf("%d operations back, want %d", len(ops), n)
			}
			bySuffix := map[string][]byte{}
			for _, raw := range requests {
				op, _ := sidetree.ParseOperation(raw)
				bySuffix[op.DIDSuffix] = raw
			}
			for i, got := range ops {
				if got.OperationIndex != uint32(i) || got.TransactionNumber != 700_000_000_005 {
					t.Fatalf("operation %d has index %d", i, got.OperationIndex)
				}
				want, err := sidetree.ParseOperation(bySuffix[got.DIDSuffix])
				if err != nil {
					t.Fatal(err)
				}
				back, err := sidetree.ParseOperation(got.Raw)
				if err != nil {
					t.Fatalf("composed %s does not parse: %v\n%s", got.Type, err, got.Raw)
				}
				if back.Type != want.Type || back.RevealValue != want.RevealValue || !back.Delta.Equal(want.Delta) ||
					back.SignedData != want.SignedData || !back.SuffixData.Equal(want.SuffixData) {
					t.Fatalf("operation %d differs:\nsent %s\ngot  %s", i, bySuffix[got.DIDSuffix], got.Raw)
				}
				// The DID resolves the same from the composed operation as from the request.
				var history []sidetree.AnchoredOperation
				if c, ok := creates[got.DIDSuffix]; ok {
					history = append(history, sidetree.AnchoredOperation{Type: sidetree.OpCreate, DIDSuffix: got.DIDSuffix, Raw: c, TransactionNumber: 1})
				}
				direct := append(history, sidetree.AnchoredOperation{Type: want.Type, DIDSuffix: got.DIDSuffix, Raw: bySuffix[got.DIDSuffix], TransactionNumber: 2})
				composed := append(history, sidetree.AnchoredOperation{Type: got.Type, DIDSuffix: got.DIDSuffix, Raw: got.Raw, TransactionNumber: 2})
				s1, err1 := sidetree.Resolve(direct)
				s2, err2 := sidetree.Resolve(composed)
				if err1 != nil || err2 != nil || (s1 == nil) != (s2 == nil) || (s1 != nil && string(sidetree.EncodeState(s1)) != string(sidetree.EncodeState(s2))) {
					t.Fatalf("states differ for %s", got.DIDSuffix)
				}
			}
		})
	}
}

// TestMissingProvisionalFiles: when the chunk file cannot be fetched, the core operations come back
// without deltas, the updates are dropped, and the error names the provisional stage and the cause.
func TestMissingProvisionalFiles(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	requests, _ := randomBatch(t, 40, 3)
	cas, files, tx := builtBatch(t, requests, p)
	for _, f := range files {
		if f.Kind == "chunk" {
			delete(cas, f.URI)
		}
	}
	ops, err := (&Reader{Parameters: p, Fetch: cas.fetch}).Read(tx)
	if StageOf(err) != StageProvisional || !errors.Is(err, errMissing) {
		t.Fatalf("err = %v", err)
	}
	for _, op := range ops {
		if op.Type == sidetree.OpUpdate {
			t.Fatal("an update without its chunk file was kept")
		}
		parsed, perr := sidetree.ParseJSON(op.Raw)
		if perr != nil || parsed.Has("delta") {
			t.Fatalf("core operation kept a delta: %s", op.Raw)
		}
	}
	// Without the core index file nothing comes back, and the core stage is named.
	delete(cas, tx.CoreIndexFileURI)
	if ops, err := (&Reader{Parameters: p, Fetch: cas.fetch}).Read(tx); ops != nil || StageOf(err) != StageCore || !errors.Is(err, errMissing) {
		t.Fatalf("ops %d, err %v", len(ops), err)
	}
}

func newChaCha(seed byte) *rand.ChaCha8 { return rand.NewChaCha8([32]byte{seed}) }

// builtBatch builds requests into a batch in a new memCAS and returns it, the files written, and the
// batch's transaction (number 1, time 1).
func builtBatch(t testing.TB, requests [][]byte, p sidetree.Parameters) (memCAS, []Written, Transaction) {
	t.Helper()
	cas := memCAS{}
	anchor, written, err := Build(requests, "", p, cas.put)
	if err != nil {
		t.Fatal(err)
	}
	var count int
	var uri string
	fmt.Sscanf(anchor, "%d.%s", &count, &uri)
	return cas, written, Transaction{Number: 1, Time: 1, OperationCount: count, CoreIndexFileURI: uri}
}
