package batch

import (
	"bytes"
	"compress/gzip"
	"runtime"
	"strings"
	"testing"

	"github.com/ionode/ionode/sidetree"
)

const (
	mh  = "EiBRx4tyq4pXcxESSRaAbFV1lbKEOXh6nRRqZZgnZqOcsQ" // a valid SHA-256 multihash
	mh2 = "EiCQq2jOVl8wVPLvDaNYvUeLKoHsGUeaAIebbF9qJqLeHg"
	cid = "QmWd5PH6vyRH5kMdzZRPBnf952dbR4av3Bd7B2wBqMaAcf"
)

var longURI = strings.Repeat("Q", 101)

func gz(s string) []byte { return compress([]byte(s)) }

func TestHostileFiles(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	jws := validJWS(t)
	suffixData := `{"deltaHash":"` + mh + `","recoveryCommitment":"` + mh2 + `"}`
	tests := []struct {
		name  string
		parse func([]byte) error
		file  []byte
		code  sidetree.Code
	}{
		{"core: not gzip", coreParser(p), []byte("{}"), sidetree.CodeCoreIndexFileDecompressionFailure},
		{"core: truncated gzip", coreParser(p), gz(`{"provisionalIndexFileUri":"` + cid + `"}`)[:20], sidetree.CodeCoreIndexFileDecompressionFailure},
		{"core: not JSON", coreParser(p), gz(`{`), sidetree.CodeCoreIndexFileNotJson},
		{"core: unknown property", coreParser(p), gz(`{"x":1}`), sidetree.CodeCoreIndexFileHasUnknownProperty},
		{"core: lock not string", coreParser(p), gz(`{"writerLockId":5}`), sidetree.CodeCoreIndexFileWriterLockIdPropertyNotString},
		{"core: lock too long", coreParser(p), gz(`{"writerLockId":"` + strings.Repeat("a", 201) + `"}`), sidetree.CodeCoreIndexFileWriterLockIdExceededMaxSize},
		{"core: unknown operation", coreParser(p), gz(`{"operations":{"update":[]}}`), sidetree.CodeCoreIndexFileUnexpectedPropertyInOperations},
		{"core: create not array", coreParser(p), gz(`{"operations":{"create":{}}}`), sidetree.CodeCoreIndexFileCreatePropertyNotArray},
		{"core: create wrong type", coreParser(p), gz(`{"operations":{"create":[{"suffixData":{"deltaHash":5,"recoveryCommitment":"` + mh + `"}}]}}`), sidetree.CodeEncodedMultihashMustBeAString},
		{"core: recover not array", coreParser(p), gz(`{"operations":{"recover":"x"}}`), sidetree.CodeCoreIndexFileRecoverPropertyNotArray},
		{"core: deactivate not array", coreParser(p), gz(`{"operations":{"deactivate":5}}`), sidetree.CodeCoreIndexFileDeactivatePropertyNotArray},
		{"core: duplicate DID", coreParser(p), gz(`{"coreProofFileUri":"` + cid + `","operations":{"recover":[{"didSuffix":"` + mh + `","revealValue":"` + mh2 + `"}],"deactivate":[{"didSuffix":"` + mh + `","revealValue":"` + mh2 + `"}]}}`), sidetree.CodeCoreIndexFileMultipleOperationsForTheSameDid},
		{"core: creates need a provisional index", coreParser(p), gz(`{"operations":{"create":[{"suffixData":` + suffixData + `}]}}`), sidetree.CodeCoreIndexFileProvisionalIndexFileUriMissing},
		{"core: URI too long", coreParser(p), gz(`{"provisionalIndexFileUri":"` + longURI + `"}`), sidetree.CodeInputValidatorCasFileUriExceedsMaxLength},
		{"core: URI not string", coreParser(p), gz(`{"provisionalIndexFileUri":7}`), sidetree.CodeInputValidatorCasFileUriNotString},
		{"core: proof URI without proofs", coreParser(p), gz(`{"provisionalIndexFileUri":"` + cid + `","coreProofFileUri":"` + cid + `"}`), sidetree.CodeCoreIndexFileCoreProofFileUriNotAllowed},
		{"core: missing proof URI", coreParser(p), gz(`{"operations":{"deactivate":[{"didSuffix":"` + mh + `","revealValue":"` + mh2 + `"}]}}`), sidetree.CodeInputValidatorCasFileUriNotString},
		{"core: reference extra property", coreParser(p), gz(`{"coreProofFileUri":"` + cid + `","operations":{"deactivate":[{"didSuffix":"` + mh + `","revealValue":"` + mh2 + `","x":1}]}}`), sidetree.CodeInputValidatorInputContainsNowAllowedProperty},

		{"provisional: chunks missing", provParser(p), gz(`{}`), sidetree.CodeProvisionalIndexFileChunksPropertyMissingOrIncorrectType},
		{"provisional: two chunks", provParser(p), gz(`{"chunks":[{"chunkFileUri":"` + cid + `"},{"chunkFileUri":"` + cid + `"}]}`), sidetree.CodeProvisionalIndexFileChunksPropertyDoesNotHaveExactlyOneElement},
		{"provisional: chunk extra property", provParser(p), gz(`{"chunks":[{"chunkFileUri":"` + cid + `","x":1}]}`), sidetree.CodeProvisionalIndexFileChunkHasMissingOrUnknownProperty},
		{"provisional: unknown property", provParser(p), gz(`{"chunks":[{"chunkFileUri":"` + cid + `"}],"x":1}`), sidetree.CodeProvisionalIndexFileHasUnknownProperty},
		{"provisional: update not array", provParser(p), gz(`{"chunks":[{"chunkFileUri":"` + cid + `"}],"operations":{"update":{}}}`), sidetree.CodeProvisionalIndexFileUpdateOperationsNotArray},
		{"provisional: duplicate update", provParser(p), gz(`{"chunks":[{"chunkFileUri":"` + cid + `"}],"provisionalProofFileUri":"` + cid + `","operations":{"update":[{"didSuffix":"` + mh + `","revealValue":"` + mh2 + `"},{"didSuffix":"` + mh + `","revealValue":"` + mh2 + `"}]}}`), sidetree.CodeProvisionalIndexFileMultipleOperationsForTheSameDid},
		{"provisional: proof URI without updates", provParser(p), gz(`{"chunks":[{"chunkFileUri":"` + cid + `"}],"provisionalProofFileUri":"` + cid + `"}`), sidetree.CodeProvisionalIndexFileProvisionalProofFileUriNotAllowed},

		{"core proof: no operations", coreProofParser(p, nil), gz(`{}`), sidetree.CodeCoreProofFileOperationsNotFound},
		{"core proof: no proofs", coreProofParser(p, nil), gz(`{"operations":{}}`), sidetree.CodeCoreProofFileHasNoProofs},
		{"core proof: recover not array", coreProofParser(p, nil), gz(`{"operations":{"recover":{}}}`), sidetree.CodeCoreProofFileRecoverPropertyNotAnArray},
		{"core proof: bad JWS", coreProofParser(p, nil), gz(`{"operations":{"recover":[{"signedData":"a.b"}]}}`), sidetree.CodeJwsCompactJwsInvalid},
		{"core proof: recover payload", coreProofParser(p, nil), gz(`{"operations":{"recover":[{"signedData":"` + jws + `"}]}}`), sidetree.CodeRecoverOperationSignedDataMissingOrUnknownProperty},
		{"core proof: deactivate for another DID", coreProofParser(p, []string{mh2}), gz(`{"operations":{"deactivate":[{"signedData":"` + jws + `"}]}}`), sidetree.CodeDeactivateOperationSignedDidUniqueSuffixMismatch},

		{"provisional proof: update not array", provProofParser(p), gz(`{"operations":{"update":5}}`), sidetree.CodeProvisionalProofFileUpdatePropertyNotAnArray},
		{"provisional proof: empty", provProofParser(p), gz(`{"operations":{"update":[]}}`), sidetree.CodeProvisionalProofFileHasNoProofs},
		// Plain files, which are read one proof at a time: a bad proof still fails the file.
		{"provisional proof: bad JWS", provProofParser(p), gz(`{"operations":{"update":[{"signedData":"a.b"}]}}`), sidetree.CodeJwsCompactJwsInvalid},
		{"provisional proof: update payload", provProofParser(p), gz(`{"operations":{"update":[{"signedData":"` + jws + `"}]}}`), sidetree.CodeJwkEs256kUndefined},
		{"provisional proof: extra property", provProofParser(p), gz(`{"operations":{"update":[{"signedData":"` + jws + `","x":1}]}}`), sidetree.CodeInputValidatorInputContainsNowAllowedProperty},
		{"provisional proof: unknown", provProofParser(p), gz(`{"operations":{"recover":[]}}`), sidetree.CodeInputValidatorInputContainsNowAllowedProperty},

		{"chunk: unknown property", chunkParser(p), gz(`{"deltas":[],"x":1}`), sidetree.CodeChunkFileUnexpectedProperty},
		{"chunk: deltas not array", chunkParser(p), gz(`{"deltas":{}}`), sidetree.CodeChunkFileDeltasPropertyNotArray},
		{"chunk: delta not object", chunkParser(p), gz(`{"deltas":["x"]}`), sidetree.CodeChunkFileDeltasNotArrayOfObjects},
		{"chunk: null delta", chunkParser(p), gz(`{"deltas":[null]}`), sidetree.CodeDeltaIsNullOrUndefined},
		{"chunk: invalid delta", chunkParser(p), gz(`{"deltas":[{"patches":[],"updateCommitment":"` + mh + `"},{"patches":[]}]}`), sidetree.CodeEncodedMultihashMustBeAString},
		{"chunk: delta too large", chunkParser(p), gz(`{"deltas":[{"patches":"` + strings.Repeat("a", 1000) + `"}]}`), sidetree.CodeDeltaExceedsMaximumSize},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.parse(tc.file)
			if sidetree.CodeOf(err) != tc.code {
				t.Errorf("err = %v (code %q), want %q", err, sidetree.CodeOf(err), tc.code)
			}
		})
	}
}

// validJWS is a compact JWS whose payload is {didSuffix: mh, recoveryKey}: valid as a deactivate proof
// for mh, wrong for anything else.
func validJWS(t *testing.T) string {
	t.Helper()
	k, err := sidetree.GenerateES256K(keySource{newChaCha(1)})
	if err != nil {
		t.Fatal(err)
	}
	body, err := sidetree.NewDeactivateRequest(mh, k, sidetree.Mainnet().Latest())
	if err != nil {
		t.Fatal(err)
	}
	s, _ := body.Field("signedData").Str()
	return s
}

func coreParser(p sidetree.Parameters) func([]byte) error {
	return func(b []byte) error { _, err := ParseCoreIndexFile(b, p); return err }
}
func provParser(p sidetree.Parameters) func([]byte) error {
	return func(b []byte) error { _, err := ParseProvisionalIndexFile(b, p); return err }
}
func coreProofParser(p sidetree.Parameters, deactivates []string) func([]byte) error {
	return func(b []byte) error { _, err := ParseCoreProofFile(b, p, deactivates); return err }
}
func provProofParser(p sidetree.Parameters) func([]byte) error {
	return func(b []byte) error { _, err := ParseProvisionalProofFile(b, p); return err }
}
func chunkParser(p sidetree.Parameters) func([]byte) error {
	return func(b []byte) error { _, err := ParseChunkFile(b, p); return err }
}

// TestGzipBomb: 100 MB of zeros in a ~100 KB file is refused after reading just over the limit.
func TestGzipBomb(t *testing.T) {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 100 {
		w.Write(zeros)
	}
	w.Close()
	p := sidetree.Mainnet().Latest()
	for name, parse := range map[string]func([]byte) error{"core": coreParser(p), "chunk": chunkParser(p)} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := parse(buf.Bytes())
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), "exceeds") {
			t.Errorf("%s: bomb accepted: %v", name, err)
		}
		// Reading stops just past the limit (3 × 10 MB for a chunk file), far from the bomb's 100 MB.
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 80<<20 {
			t.Errorf("%s: parsing the bomb allocated %d MB", name, alloc>>20)
		}
	}
}

func TestAnchorCountRules(t *testing.T) {
	p := sidetree.Mainnet().Latest()
	requests, _ := randomBatch(t, 10, 11)
	cas, _, tx := builtBatch(t, requests, p)
	count, uri := tx.OperationCount, tx.CoreIndexFileURI
	r := &Reader{Parameters: p, Fetch: cas.fetch}
	tests := []struct {
		paid int
		code sidetree.Code
	}{
		{10_001, sidetree.CodeTransactionProcessorPaidOperationCountExceedsLimit},
		{1, ""}, // set below: fewer paid than the core index file holds, or than the updates need
	}
	for _, tc := range tests[:1] {
		_, err := r.Read(Transaction{OperationCount: tc.paid, CoreIndexFileURI: uri})
		if sidetree.CodeOf(err) != tc.code {
			t.Errorf("paid %d: %v", tc.paid, err)
		}
	}
	core, _ := ParseCoreIndexFile(cas[uri], p)
	coreCount := len(core.Suffixes())
	if coreCount > 0 {
		_, err := r.Read(Transaction{OperationCount: coreCount - 1, CoreIndexFileURI: uri})
		if sidetree.CodeOf(err) != sidetree.CodeCoreIndexFileOperationCountExceededPaidLimit {
			t.Errorf("core count over paid: %v", err)
		}
	}
	if coreCount < count {
		ops, err := r.Read(Transaction{OperationCount: coreCount, CoreIndexFileURI: uri})
		if sidetree.CodeOf(err) != sidetree.CodeProvisionalIndexFileUpdateOperationCountGreaterThanMaxPaidCount || StageOf(err) != StageProvisional || len(ops) != coreCount {
			t.Errorf("updates over paid: %d ops, %v", len(ops), err)
		}
	}
}
