package batch

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// quirkCase is a transaction whose files exercise a place where the reference's behaviour is not what a
// reading of the Sidetree specification (or JSON.parse) suggests. Each want was checked against the
// reference's TransactionProcessor (sidetree 1.0.6 under Node 20): run with IONODE_DUMP_QUIRKS=<file> to
// write the cases out for interop/reference.mjs's processTransaction.
type quirkCase struct {
	name   string
	count  int
	core   []byte            // compressed core index file
	files  map[string][]byte // the other files by URI
	want   []sidetree.OperationType
	noSign []int // indexes of operations composed without signedData
}

func quirkCases(t *testing.T) []quirkCase {
	t.Helper()
	p := sidetree.Mainnet().Latest()
	keys := keySource{newChaCha(42)}
	key := func() sidetree.JWK {
		k, err := sidetree.GenerateES256K(keys)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	rec1, rec2 := key(), key()
	c1, _ := sidetree.NewCreateRequest("ion", rec1, key(), sidetree.Document{}, p)
	c2, _ := sidetree.NewCreateRequest("ion", rec2, key(), sidetree.Document{}, p)
	recover, err := sidetree.NewRecoverRequest(c1.DIDSuffix, rec1, key(), key(), sidetree.Document{}, p)
	if err != nil {
		t.Fatal(err)
	}
	deactivate, err := sidetree.NewDeactivateRequest(c2.DIDSuffix, rec2, p)
	if err != nil {
		t.Fatal(err)
	}
	recOp, _ := sidetree.ParseOperation(recover.Stringify())
	deaOp, _ := sidetree.ParseOperation(deactivate.Stringify())
	// A deactivate proof for no DID: two properties, no didSuffix.
	stray, err := sidetree.SignES256K(sidetree.Object(
		sidetree.Member{Key: "x", Value: sidetree.Number(1)},
		sidetree.Member{Key: "recoveryKey", Value: rec2.Public().Value()},
	), rec2)
	if err != nil {
		t.Fatal(err)
	}
	ref := func(op *sidetree.Operation) string {
		return `{"didSuffix":"` + op.DIDSuffix + `","revealValue":"` + op.RevealValue + `"}`
	}
	chunk := gz(`{"deltas":[` + recOp.Delta.String() + `]}`)
	prov := gz(`{"chunks":[{"chunkFileUri":"QmChunk"}]}`)
	coreRD := `{"provisionalIndexFileUri":"QmProv","operations":{"recover":[` + ref(recOp) + `],"deactivate":[` + ref(deaOp) + `]},"coreProofFileUri":"QmProof"}`
	files := func(proof string) map[string][]byte {
		return map[string][]byte{"QmChunk": chunk, "QmProv": prov, "QmProof": gz(proof)}
	}
	return []quirkCase{
		{
			// CoreProofFile.ts checks deactivate proofs against expectedDeactivatedDidUniqueSuffixes[i],
			// undefined past the end, and TransactionProcessor.ts counts proofs in total: the recover is
			// composed without signedData and the deactivate is kept.
			name: "deactivate proof standing in for a recover proof", count: 2, core: gz(coreRD),
			files: files(`{"operations":{"recover":[],"deactivate":[{"signedData":"` + deaOp.SignedData.Compact() + `"},{"signedData":"` + stray.Compact() + `"}]}}`),
			want:  []sidetree.OperationType{sidetree.OpRecover, sidetree.OpDeactivate}, noSign: []int{0},
		},
		{
			name: "empty array as core index file", count: 1, core: gz(`[]`), files: map[string][]byte{},
		},
		{
			// yieldable-json ignores one closing brace after the value.
			name: "extra closing brace", count: 2, core: gz(coreRD + `}`),
			files: files(`{"operations":{"recover":[{"signedData":"` + recOp.SignedData.Compact() + `"}],"deactivate":[{"signedData":"` + deaOp.SignedData.Compact() + `"}]}}`),
			want:  []sidetree.OperationType{sidetree.OpRecover, sidetree.OpDeactivate},
		},
		{
			// Node's gunzip stops at a zero byte after a gzip member.
			name: "zero padding after the gzip member", count: 2, core: append(gz(coreRD), 0, 0, 7, 7),
			files: files(`{"operations":{"recover":[{"signedData":"` + recOp.SignedData.Compact() + `"}],"deactivate":[{"signedData":"` + deaOp.SignedData.Compact() + `"}]}}`),
			want:  []sidetree.OperationType{sidetree.OpRecover, sidetree.OpDeactivate},
		},
		{
			name: "garbage after the gzip member", count: 2, core: append(gz(coreRD), 7),
			files: files(`{}`),
		},
		{
			// A proof file's top level is not checked for unknown properties, and "__proto__" with a
			// primitive value is no property at all.
			name: "junk in a proof file", count: 2, core: gz(coreRD),
			files: files(`{"__proto__":5,"junk":[1 2,tru,{"a":01}],"operations":{"recover":[{"signedData":"` + recOp.SignedData.Compact() + `"}],"deactivate":[{"signedData":"` + deaOp.SignedData.Compact() + `"}]}}`),
			want:  []sidetree.OperationType{sidetree.OpRecover, sidetree.OpDeactivate},
		},
	}
}

func TestReferenceQuirks(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	cases := quirkCases(t)
	if path := os.Getenv("IONODE_DUMP_QUIRKS"); path != "" {
		var lines []string
		for i, c := range cases {
			files := map[string][]byte{"QmCore": c.core}
			for k, v := range c.files {
				files[k] = v
			}
			args, _ := json.Marshal(map[string]any{"anchorString": itoa(c.count) + ".QmCore", "files": files, "transactionNumber": 1_000_000, "transactionTime": 1})
			lines = append(lines, `{"id":`+itoa(i)+`,"cmd":"processTransaction","args":`+string(args)+`}`)
		}
		os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fetch := func(uri string, max int) ([]byte, error) {
				if uri == "QmCore" {
					return c.core, nil
				}
				data, ok := c.files[uri]
				if !ok {
					return nil, errMissing
				}
				return data, nil
			}
			ops, _ := (&Reader{Parameters: p, Fetch: fetch}).Read(Transaction{Number: 1_000_000, Time: 1, OperationCount: c.count, CoreIndexFileURI: "QmCore"})
			if len(ops) != len(c.want) {
				t.Fatalf("%d operations, want %d", len(ops), len(c.want))
			}
			for i, op := range ops {
				if op.Type != c.want[i] {
					t.Fatalf("operation %d is a %s, want %s", i, op.Type, c.want[i])
				}
				v, err := sidetree.ParseJSON(op.Raw)
				if err != nil {
					t.Fatal(err)
				}
				signed := v.Has("signedData")
				wantSigned := true
				for _, j := range c.noSign {
					wantSigned = wantSigned && j != i
				}
				if signed != wantSigned {
					t.Fatalf("operation %d: signedData present %v, want %v: %s", i, signed, wantSigned, op.Raw)
				}
			}
		})
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
