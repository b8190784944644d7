package batch

import (
	"errors"
	"fmt"
	"sync"

	"github.com/ionode/ionode/sidetree"
)

// Fetch gets the file a URI names, refusing more than max bytes. Its errors are the caller's (the CAS's)
// and come back wrapped in a StageError, so the caller can tell "not available now" from "invalid".
type Fetch func(uri string, max int) ([]byte, error)

// Stage is one of the two stages of reading a batch.
type Stage string

// The stages of reading a batch.
const (
	// StageCore: the core index and core proof files. A failure voids the whole transaction.
	StageCore Stage = "core"
	// StageProvisional: the provisional index, provisional proof and chunk files. A failure keeps the
	// core operations (without deltas) and drops the updates.
	StageProvisional Stage = "provisional"
)

// StageError says which stage of reading a batch failed, and why.
type StageError struct {
	Stage Stage
	Err   error
}

func (e *StageError) Error() string { return fmt.Sprintf("%s files: %v", e.Stage, e.Err) }
func (e *StageError) Unwrap() error { return e.Err }

// Transaction is what reading needs of the anchoring transaction.
type Transaction struct {
	Number uint64 // ION transaction number
	Time   uint64 // block height
	// OperationCount and CoreIndexFileURI are the anchor string's parts (the count the writer paid for).
	OperationCount   int
	CoreIndexFileURI string
}

// Reader reads a transaction's batch files as the reference's TransactionProcessor.processTransaction.
type Reader struct {
	Parameters sidetree.Parameters
	Fetch      Fetch
	// CheckCore, when set, runs after the core index file is read and checked against the paid count:
	// the reference verifies the writer's value time lock there (a failure voids the transaction). It
	// must not keep the file (or its strings) past its call: without Signed, the next Read reuses the
	// file's memory.
	CheckCore func(*CoreIndexFile) error
	// Signed, when set, is called with the batch's recovers, deactivates and updates once their
	// references and proofs are read, before the chunk file is fetched, so that their signatures can be
	// checked while the chunk file is read. When Read returns no error, its operations were composed
	// from exactly these parts.
	Signed func([]SignedPart)
	// Void, when set with Signed, lets the reader hand over the updates one at a time while it streams the
	// provisional proof file, so that their checks start before the file is read whole. Void is called
	// when the parts handed over so far no longer hold (that file has to be read whole, and the whole
	// reading decides its proofs): Signed then receives every part again.
	Void func()
}

// Read returns the transaction's anchored operations. On a core-stage failure it returns no operations
// and a *StageError for StageCore. On a provisional-stage failure it returns the core operations without
// deltas and a *StageError for StageProvisional: the reference stores those, and retries the transaction
// later if the failure was a fetch that may succeed then.
func (r *Reader) Read(tx Transaction) ([]sidetree.AnchoredOperation, error) {
	buf := readBuffers.Get().(*readBuffer)
	// Without Signed, nothing that outlives Read holds the index and proof files' text: Compose copies
	// what the operations keep (their DIDs too), so those files' memory can serve the next Read. With
	// Signed, the parts handed over hold it (their DIDs and proofs) for as long as their taker wants.
	buf.text = r.Signed == nil
	core, coreProof, err := r.readCore(tx, buf)
	if err != nil {
		return nil, &StageError{Stage: StageCore, Err: err}
	}
	files := Files{Core: core, CoreProof: coreProof}
	files.Provisional, files.ProvisionalProof, files.Chunk, err = r.readProvisional(tx, core, coreProof, buf)
	if err != nil {
		files.Provisional, files.ProvisionalProof, files.Chunk = nil, nil, nil
		return Compose(tx.Number, tx.Time, files), &StageError{Stage: StageProvisional, Err: err}
	}
	ops := Compose(tx.Number, tx.Time, files)
	// Compose copied the deltas, suffix data and proofs into the bodies: nothing holds the files' text.
	buf.reset()
	readBuffers.Put(buf)
	return ops, nil
}

// readBuffers keeps the memory of a Read's decompressed files for the next Read: the chunk file's always
// (the largest of a batch's files, whose text nothing keeps after Compose), the index and provisional
// proof files' when nothing else keeps them (see Read): megabytes that would otherwise be allocated,
// cleared and faulted in again for every batch. A failed Read keeps its memory (an error may hold a
// file's text).
var readBuffers = sync.Pool{New: func() any { return new(readBuffer) }}

type readBuffer struct {
	core, provisional, proof, chunk []byte
	text                            bool // the index and proof files may be read into this memory
}

// reset empties the buffers for the next Read.
func (b *readBuffer) reset() {
	b.core, b.provisional, b.proof, b.chunk = b.core[:0], b.provisional[:0], b.proof[:0], b.chunk[:0]
}

// forText is where a file whose text Signed's parts may hold is read: p (one of b's buffers), or nil
// (fresh memory) when they may hold it.
func (b *readBuffer) forText(p *[]byte) *[]byte {
	if !b.text {
		return nil
	}
	return p
}

func (r *Reader) readCore(tx Transaction, buf *readBuffer) (*CoreIndexFile, *CoreProofFile, error) {
	p := r.Parameters
	if tx.OperationCount > p.MaxOperationsPerBatch {
		return nil, nil, sidetree.Errorf(sidetree.CodeTransactionProcessorPaidOperationCountExceedsLimit,
			"paid batch size of %d operations exceeds the limit of %d", tx.OperationCount, p.MaxOperationsPerBatch)
	}
	data, err := r.Fetch(tx.CoreIndexFileURI, p.MaxCoreIndexFileSizeInBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch core index file %s: %w", tx.CoreIndexFileURI, err)
	}
	core, err := parseCoreIndexFile(buf.forText(&buf.core), data, p)
	if err != nil {
		return nil, nil, err
	}
	if n := core.count(); n > tx.OperationCount {
		return nil, nil, sidetree.Errorf(sidetree.CodeCoreIndexFileOperationCountExceededPaidLimit,
			"operation count %d in core index file exceeds the paid %d", n, tx.OperationCount)
	}
	if r.CheckCore != nil {
		if err := r.CheckCore(core); err != nil {
			return nil, nil, err
		}
	}
	if core.CoreProofFileURI == "" {
		return core, nil, nil
	}
	data, err = r.Fetch(core.CoreProofFileURI, p.MaxProofFileSizeInBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch core proof file %s: %w", core.CoreProofFileURI, err)
	}
	proof, err := ParseCoreProofFile(data, p, suffixesOf(core.Deactivates))
	if err != nil {
		return nil, nil, err
	}
	if want, got := len(core.Recovers)+len(core.Deactivates), len(proof.Recovers)+len(proof.Deactivates); want != got {
		return nil, nil, sidetree.Errorf(sidetree.CodeCoreProofFileProofCountNotTheSameAsOperationCountInCoreIndexFile,
			"proof count %d in core proof file differs from the %d recovers and deactivates in core index file", got, want)
	}
	return core, proof, nil
}

// readProvisional reads the provisional files, decompressing them into buf's memory where it may.
func (r *Reader) readProvisional(tx Transaction, core *CoreIndexFile, coreProof *CoreProofFile, buf *readBuffer) (*ProvisionalIndexFile, *ProvisionalProofFile, *ChunkFile, error) {
	p := r.Parameters
	if core.ProvisionalIndexFileURI == "" {
		r.signed(Files{Core: core, CoreProof: coreProof})
		return nil, nil, nil, nil
	}
	data, err := r.Fetch(core.ProvisionalIndexFileURI, p.MaxProvisionalIndexFileSizeInBytes)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("fetch provisional index file %s: %w", core.ProvisionalIndexFileURI, err)
	}
	prov, err := parseProvisionalIndexFile(buf.forText(&buf.provisional), data, p)
	if err != nil {
		return nil, nil, nil, err
	}
	coreCount := core.count()
	if maxUpdates := tx.OperationCount - coreCount; len(prov.Updates) > maxUpdates {
		return nil, nil, nil, sidetree.Errorf(sidetree.CodeProvisionalIndexFileUpdateOperationCountGreaterThanMaxPaidCount,
			"%d updates exceed the %d paid for", len(prov.Updates), maxUpdates)
	}
	if updatesRepeatCore(core, prov) {
		return nil, nil, nil, sidetree.Errorf(sidetree.CodeProvisionalIndexFileDidReferenceDuplicatedWithCoreIndexFile,
			"provisional index file references a DID of the core index file")
	}
	var proof *ProvisionalProofFile
	handed := false // every signed part went to Signed while the proofs streamed
	if prov.ProvisionalProofFileURI != "" {
		data, err := r.Fetch(prov.ProvisionalProofFileURI, p.MaxProofFileSizeInBytes)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("fetch provisional proof file %s: %w", prov.ProvisionalProofFileURI, err)
		}
		switch {
		case r.Signed != nil && r.Void != nil:
			proof, handed, err = r.streamProvisionalProof(data, core, coreProof, prov)
		case r.Signed != nil:
			proof, _, err = parseProvisionalProof(nil, data, p, len(prov.Updates), proofSink{})
		default:
			// Nothing takes the parsed proofs (only Signed does): each is dropped once checked, so that a
			// batch's payloads are not held to its end.
			proof, _, err = parseProvisionalProof(buf.forText(&buf.proof), data, p, len(prov.Updates), proofSink{drop: true})
		}
		if err != nil {
			return nil, nil, nil, err
		}
		if len(proof.Updates) != len(prov.Updates) {
			return nil, nil, nil, sidetree.Errorf(sidetree.CodeProvisionalProofFileProofCountNotTheSameAsOperationCountInProvisionalIndexFile,
				"proof count %d differs from the %d updates", len(proof.Updates), len(prov.Updates))
		}
	}
	if !handed {
		r.signed(Files{Core: core, CoreProof: coreProof, Provisional: prov, ProvisionalProof: proof})
	}
	data, err = r.Fetch(prov.ChunkFileURI, p.MaxChunkFileSizeInBytes)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("fetch chunk file %s: %w", prov.ChunkFileURI, err)
	}
	want := len(core.Creates) + len(core.Recovers) + len(prov.Updates)
	chunk, err := parseChunkFile(&buf.chunk, data, p, want)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(chunk.Deltas) != want {
		return nil, nil, nil, sidetree.Errorf(sidetree.CodeChunkFileDeltaCountIncorrect,
			"chunk file has %d deltas for %d operations with a delta", len(chunk.Deltas), want)
	}
	return prov, proof, chunk, nil
}

// updatesRepeatCore reports an update of a DID the core index file has an operation for. (Each file's own
// DIDs are distinct: its parse checked.)
func updatesRepeatCore(core *CoreIndexFile, prov *ProvisionalIndexFile) bool {
	set := core.suffixes
	if set == nil { // a CoreIndexFile not made by ParseCoreIndexFile
		set = map[string]struct{}{}
		addAll(set, core.Suffixes(), itself)
	}
	for _, u := range prov.Updates {
		if _, ok := set[u.DIDSuffix]; ok {
			return true
		}
	}
	return false
}

// streamProvisionalProof parses the provisional proof file as ParseProvisionalProofFile does, handing
// the recovers and deactivates to Signed first, then each update as soon as its proof is checked. handed
// reports whether every signed part went over that way; when not, Void was called.
func (r *Reader) streamProvisionalProof(data []byte, core *CoreIndexFile, coreProof *CoreProofFile, prov *ProvisionalIndexFile) (*ProvisionalProofFile, bool, error) {
	r.Signed(signedParts(Files{Core: core, CoreProof: coreProof}))
	first := len(core.Creates) + len(core.Recovers) + len(core.Deactivates)
	proof, streamed, err := parseProvisionalProof(nil, data, r.Parameters, len(prov.Updates), proofSink{each: func(i int, jws string, parsed sidetree.ParsedJWS) {
		if i < len(prov.Updates) {
			r.Signed([]SignedPart{{Index: first + i, Type: sidetree.OpUpdate, Reference: prov.Updates[i], SignedData: jws, Parsed: &parsed}})
		}
	}})
	if err != nil || !streamed || len(proof.Updates) != len(prov.Updates) {
		r.Void()
		return proof, false, err
	}
	return proof, true, nil
}

func (r *Reader) signed(f Files) {
	if r.Signed != nil {
		r.Signed(signedParts(f))
	}
}

func suffixesOf(refs []Reference) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.DIDSuffix
	}
	return out
}

// Stage reports the stage of a Read error, "" for other errors.
func StageOf(err error) Stage {
	var se *StageError
	if errors.As(err, &se) {
		return se.Stage
	}
	return ""
}
