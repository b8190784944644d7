package batch

import (
	"bytes"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

// TestOperationsOutliveNextRead: what Read returns stays as it was while later reads reuse memory (the
// chunk file's buffer, the gzip readers): the node stores the operations after other reads have run.
func TestOperationsOutliveNextRead(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	first, _ := randomBatch(t, 80, 11)
	second, _ := randomBatch(t, 40, 12) // smaller: its files fit in memory the first read used
	casA, _, txA := builtBatch(t, first, p)
	casB, _, txB := builtBatch(t, second, p)
	opsA, err := (&Reader{Parameters: p, Fetch: casA.fetch}).Read(txA)
	if err != nil {
		t.Fatal(err)
	}
	kept := make([]sidetree.AnchoredOperation, len(opsA))
	for i, op := range opsA {
		kept[i] = op
		kept[i].Raw = bytes.Clone(op.Raw)
		kept[i].DIDSuffix = string(append([]byte(nil), op.DIDSuffix...))
	}
	// Several reads of another batch, by other readers, as the node's concurrent transactions do.
	for range 3 {
		if _, err := (&Reader{Parameters: p, Fetch: casB.fetch}).Read(txB); err != nil {
			t.Fatal(err)
		}
	}
	for i, op := range opsA {
		if op.DIDSuffix != kept[i].DIDSuffix || !bytes.Equal(op.Raw, kept[i].Raw) || op.Type != kept[i].Type {
			t.Fatalf("operation %d changed after later reads:\nwas %s %s\nnow %s %s", i, kept[i].DIDSuffix, kept[i].Raw, op.DIDSuffix, op.Raw)
		}
	}
}

// TestReadWithoutSignedKeepsNoPayloads: without Signed, nothing takes the parsed proofs, so the read does
// not hold every payload of the provisional proof file until it returns.
func TestReadWithoutSignedKeepsNoPayloads(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	requests, _ := randomBatch(t, 40, 13)
	cas, _, tx := builtBatch(t, requests, p)
	r := &Reader{Parameters: p, Fetch: cas.fetch}
	core, coreProof, err := r.readCore(tx, new(readBuffer))
	if err != nil {
		t.Fatal(err)
	}
	_, proof, _, err := r.readProvisional(tx, core, coreProof, new(readBuffer))
	if err != nil || proof == nil || len(proof.Updates) == 0 {
		t.Fatalf("no updates read (%v)", err)
	}
	if len(proof.parsed) != 0 {
		t.Fatalf("%d parsed proofs kept for no one", len(proof.parsed))
	}
}

// TestUpdateOfACoreDID: an update of a DID the core index file has an operation for fails the
// provisional stage with the reference's code, whether or not the core index file came from its parser.
func TestUpdateOfACoreDID(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	sd := `{"deltaHash":"` + mh + `","recoveryCommitment":"` + mh2 + `"}`
	parsed, err := sidetree.ParseJSON([]byte(sd))
	if err != nil {
		t.Fatal(err)
	}
	suffix, err := sidetree.ComputeDIDSuffix(parsed)
	if err != nil {
		t.Fatal(err)
	}
	cas := memCAS{}
	prov, _ := cas.put(gz(`{"chunks":[{"chunkFileUri":"` + cid + `"}],"provisionalProofFileUri":"` + cid + `","operations":{"update":[{"didSuffix":"` + suffix + `","revealValue":"` + mh + `"}]}}`))
	core, _ := cas.put(gz(`{"provisionalIndexFileUri":"` + prov + `","operations":{"create":[{"suffixData":` + sd + `}]}}`))
	ops, err := (&Reader{Parameters: p, Fetch: cas.fetch}).Read(Transaction{Number: 1, Time: 1, OperationCount: 2, CoreIndexFileURI: core})
	if StageOf(err) != StageProvisional || sidetree.CodeOf(err) != sidetree.CodeProvisionalIndexFileDidReferenceDuplicatedWithCoreIndexFile || len(ops) != 1 {
		t.Fatalf("%d operations, err %v", len(ops), err)
	}
	update := &ProvisionalIndexFile{Updates: []Reference{{DIDSuffix: suffix, RevealValue: mh}}}
	if !updatesRepeatCore(&CoreIndexFile{CreateSuffixes: []string{suffix}}, update) {
		t.Fatal("a core index file made by hand: the repeated DID was not seen")
	}
	if updatesRepeatCore(&CoreIndexFile{CreateSuffixes: []string{mh2}}, update) {
		t.Fatal("a DID seen twice that is there once")
	}
}

// TestWarmReadReusesFileMemory: without Signed, a Read after another decompresses the index and proof
// files into the memory the earlier one used, and reads the proofs' payloads into one block, instead of
// allocating them again (bytes counted, not time). With Signed, whose parts hold that text, it must not:
// the difference is at least the files' size.
func TestWarmReadReusesFileMemory(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	requests, _ := randomBatch(t, 240, 14)
	cas, _, tx := builtBatch(t, requests, p)
	text := 0 // the decompressed index and provisional proof files
	for _, data := range cas {
		raw, err := decompress(nil, data, 1<<30, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(raw, []byte(`{"deltas"`)) && !bytes.Contains(raw, []byte(`"recover":[{"signedData"`)) && !bytes.Contains(raw, []byte(`"deactivate":[{"signedData"`)) {
			text += len(raw)
		}
	}
	warm := func(r *Reader) uint64 {
		least := uint64(math.MaxUint64)
		for range 4 {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := r.Read(tx)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			least = min(least, after.TotalAlloc-before.TotalAlloc)
		}
		return least
	}
	plain := warm(&Reader{Parameters: p, Fetch: cas.fetch})
	signed := warm(&Reader{Parameters: p, Fetch: cas.fetch, Signed: func([]SignedPart) {}})
	if signed < plain+uint64(text) {
		t.Errorf("a warm read allocates %d bytes without Signed, %d with it: want at least the %d bytes of the index and proof files less", plain, signed, text)
	} else {
		t.Logf("a warm read allocates %d bytes without Signed, %d with it (index and proof files: %d bytes)", plain, signed, text)
	}
}

// TestBuiltUpdatesArePlain: the updates ION's writers sign (Build's, from ion-sdk-shaped requests) take
// the provisional proof file's shortcut (sidetree.PayloadReader.PlainUpdateJWS), so a Read without
// Signed checks them without a tree each.
func TestBuiltUpdatesArePlain(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	requests, _ := randomBatch(t, 120, 15)
	_, written, _ := builtBatch(t, requests, p)
	var payloads sidetree.PayloadReader
	checked := 0
	for _, w := range written {
		if w.Kind != "provisionalProof" {
			continue
		}
		proof, err := ParseProvisionalProofFile(w.Data, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, signed := range proof.Updates {
			if _, ok := payloads.PlainUpdateJWS(sidetree.String(signed)); !ok {
				t.Fatalf("update proof %s: not of the plain form", signed)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("the batch has no updates")
	}
}

// TestConcurrentReadsKeepTheirOperations: readers running at once, as the node's transactions do, each
// reusing file memory the others gave back, return exactly what a lone read returns.
func TestConcurrentReadsKeepTheirOperations(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	type batch struct {
		cas  memCAS
		tx   Transaction
		want []sidetree.AnchoredOperation
	}
	batches := make([]batch, 4)
	for i := range batches {
		requests, _ := randomBatch(t, 30+20*i, uint64(20+i))
		cas, _, tx := builtBatch(t, requests, p)
		ops, err := (&Reader{Parameters: p, Fetch: cas.fetch}).Read(tx)
		if err != nil {
			t.Fatal(err)
		}
		for j := range ops { // copies, in memory no read reuses
			ops[j].Raw, ops[j].DIDSuffix = bytes.Clone(ops[j].Raw), strings.Clone(ops[j].DIDSuffix)
		}
		batches[i] = batch{cas, tx, ops}
	}
	var wg sync.WaitGroup
	results := make([][][]sidetree.AnchoredOperation, len(batches))
	for i, b := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				ops, err := (&Reader{Parameters: p, Fetch: b.cas.fetch}).Read(b.tx)
				if err != nil {
					t.Error(err)
					return
				}
				results[i] = append(results[i], ops)
			}
		}()
	}
	wg.Wait()
	for i, b := range batches {
		for _, ops := range results[i] {
			if len(ops) != len(b.want) {
				t.Fatalf("batch %d: %d operations, want %d", i, len(ops), len(b.want))
			}
			for j, op := range ops {
				if op.DIDSuffix != b.want[j].DIDSuffix || !bytes.Equal(op.Raw, b.want[j].Raw) || op.Type != b.want[j].Type {
					t.Fatalf("batch %d operation %d: %s %s, want %s %s", i, j, op.DIDSuffix, op.Raw, b.want[j].DIDSuffix, b.want[j].Raw)
				}
			}
		}
	}
}
