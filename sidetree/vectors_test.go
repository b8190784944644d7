package sidetree

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// sharedVectors returns the path of a vector file. testdata/vectors is an unchanged copy of the shared
// vectors (../shared/vectors/VECTORS.md says where each comes from); TestVectorCopyIsUnchanged checks it
// against the shared folder whenever that folder is beside the repository.
func sharedVectors(t testing.TB, parts ...string) string {
	t.Helper()
	return filepath.Join(append([]string{"testdata", "vectors"}, parts...)...)
}

func TestVectorCopyIsUnchanged(t *testing.T) {
	shared := filepath.Join("..", "..", "shared", "vectors")
	if _, err := os.Stat(shared); err != nil {
		t.Skip("../shared/vectors is not beside the repository")
	}
	err := filepath.WalkDir(shared, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(shared, path)
		want, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		got, err := os.ReadFile(filepath.Join("testdata", "vectors", rel))
		if err != nil {
			return err
		}
		if string(got) != string(want) {
			t.Errorf("testdata/vectors/%s differs from the shared vector", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readJSONFile(t testing.TB, path string) Value {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := ParseJSON(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// sameJSON compares JSON values ignoring object property order. The resolution vectors were edited by
// hand in the specification repository (their metadata properties are not in the order the reference code
// emits), so they fix values; byte-for-byte order is checked against the reference itself in the interop
// tests.
func sameJSON(t testing.TB, got, want Value) bool {
	t.Helper()
	g, err1 := got.Canonicalize()
	w, err2 := want.Canonicalize()
	if err1 != nil || err2 != nil {
		t.Fatalf("canonicalize: %v %v", err1, err2)
	}
	return string(g) == string(w)
}

func sidetreeVector(t testing.TB, parts ...string) Value {
	t.Helper()
	return readJSONFile(t, sharedVectors(t, append([]string{"sidetree"}, parts...)...))
}

func TestSidetreeVectorsLongForm(t *testing.T) {
	create := sidetreeVector(t, "operations", "createOperation.json")
	didVec := sidetreeVector(t, "resolution", "did.json")
	wantLong, _ := field(didVec, "longFormDid").Str()

	op, err := ParseOperation(create.Stringify())
	if err != nil {
		t.Fatalf("parse create vector: %v", err)
	}
	gotLong, err := LongFormDID("sidetree", op.SuffixData, op.Delta)
	if err != nil {
		t.Fatal(err)
	}
	if gotLong != wantLong {
		t.Fatalf("long-form DID\n got %s\nwant %s", gotLong, wantLong)
	}
	did, err := ParseDID(wantLong, "sidetree", Mainnet().Latest())
	if err != nil {
		t.Fatalf("parse long-form DID: %v", err)
	}
	if did.Suffix != op.DIDSuffix {
		t.Fatalf("suffix %s, create operation's %s", did.Suffix, op.DIDSuffix)
	}
	res := ResolveDID(did, nil)
	checkAppendResolveDID(t, did, nil)
	want := sidetreeVector(t, "resolution", "longFormResponseDidDocument.json")
	if res.Status != http.StatusOK || !sameJSON(t, res.Body, want) {
		t.Fatalf("long-form resolution (status %d)\n got %s\nwant %s", res.Status, res.Body, want)
	}
}

func TestSidetreeVectorsResolutionAfterEachOperation(t *testing.T) {
	names := []string{"createOperation.json", "updateOperation.json", "recoverOperation.json", "deactivateOperation.json"}
	types := []OperationType{OpCreate, OpUpdate, OpRecover, OpDeactivate}
	results := []string{"afterCreate.json", "afterUpdate.json", "afterRecover.json", "afterDeactivate.json"}
	statuses := []int{http.StatusOK, http.StatusOK, http.StatusOK, http.StatusGone}

	var anchored []AnchoredOperation
	var suffix string
	for i, name := range names {
		raw := sidetreeVector(t, "operations", name).Stringify()
		op, err := ParseOperation(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if op.Type != types[i] {
			t.Fatalf("%s: type %s", name, op.Type)
		}
		if i == 0 {
			suffix = op.DIDSuffix
		} else if op.DIDSuffix != suffix {
			t.Fatalf("%s: suffix %s, want %s", name, op.DIDSuffix, suffix)
		}
		anchored = append(anchored, AnchoredOperation{
			Type: op.Type, DIDSuffix: suffix, Raw: raw,
			TransactionNumber: uint64(i + 1), TransactionTime: uint64(i + 1),
		})
		did, err := ParseDID("did:sidetree:"+suffix, "sidetree", Mainnet().Latest())
		if err != nil {
			t.Fatal(err)
		}
		res := ResolveDID(did, anchored)
		checkAppendResolveDID(t, did, anchored)
		want := sidetreeVector(t, "resolution", results[i])
		if res.Status != statuses[i] || !sameJSON(t, res.Body, want) {
			t.Errorf("after %s (status %d, want %d)\n got %s\nwant %s", name, res.Status, statuses[i], res.Body, want)
		}
	}
}
