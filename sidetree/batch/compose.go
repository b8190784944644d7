package batch

import (
	"strings"

	"github.com/ionode/ionode/sidetree"
)

// Files are the parsed files of one batch; the provisional ones are nil when absent or unusable.
type Files struct {
	Core             *CoreIndexFile
	CoreProof        *CoreProofFile
	Provisional      *ProvisionalIndexFile
	ProvisionalProof *ProvisionalProofFile
	Chunk            *ChunkFile
}

// Compose turns a batch's files into anchored operations as the reference's
// TransactionProcessor.composeAnchoredOperationModels: creates, recovers, deactivates, then updates, each
// operation the request body (as POST /operations takes it) rebuilt from the files. Without a chunk file
// creates and recovers have no delta and there are no updates. Operation indexes number the core index
// file's operations first, then the updates.
//
// Compose consumes f: each suffix data, delta and proof is cleared once its operation is composed, so that
// a 10,000-operation batch's parsed files are released while its request bodies are built instead of
// both being held at once. The bodies share blocks of a slab (one allocation per ~64 KB of bodies instead
// of one per operation): each is capped at its length, and keeping one keeps at most its block. The DIDs
// of recovers, deactivates and updates are copied into one string, so that the operations hold none of
// the files' text.
func Compose(txNumber, txTime uint64, f Files) []sidetree.AnchoredOperation {
	core := f.Core
	var deltas [][]byte
	if f.Chunk != nil {
		deltas = f.Chunk.Deltas
	}
	n := len(core.Creates) + len(core.Recovers) + len(core.Deactivates)
	if f.Provisional != nil {
		n += len(f.Provisional.Updates)
	}
	ops := make([]sidetree.AnchoredOperation, 0, n)
	// Each body is written here as JSON.stringify writes the reference's object ({type, …, delta}), the
	// delta being the text the chunk file's was parsed into, then copied at its exact size.
	var scratch []byte
	var bodies slab
	// withDelta closes a body with the i-th delta, if the chunk file has it, and releases the delta.
	withDelta := func(b []byte, i int) []byte {
		if i < len(deltas) {
			b = append(append(b, `,"delta":`...), deltas[i]...)
			deltas[i] = nil
		}
		return append(b, '}')
	}
	dids := signedDIDs(f)
	add := func(t sidetree.OperationType, suffix string) {
		ops = append(ops, sidetree.AnchoredOperation{
			Type: t, DIDSuffix: suffix, Raw: bodies.clone(scratch),
			TransactionNumber: txNumber, TransactionTime: txTime, OperationIndex: uint32(len(ops)),
		})
	}
	for i, sd := range core.Creates {
		scratch = append(scratch[:0], `{"type":"create","suffixData":`...)
		scratch = withDelta(append(scratch, sd...), i)
		add(sidetree.OpCreate, core.CreateSuffixes[i])
		core.Creates[i] = nil
	}
	for i, ref := range core.Recovers {
		scratch = withDelta(signedBody(scratch[:0], sidetree.OpRecover, ref, proofAt(f.CoreProof, i, true)), len(core.Creates)+i)
		add(sidetree.OpRecover, dids.next(ref.DIDSuffix))
		clearProof(f.CoreProof, i, true)
	}
	for i, ref := range core.Deactivates {
		scratch = append(signedBody(scratch[:0], sidetree.OpDeactivate, ref, proofAt(f.CoreProof, i, false)), '}')
		add(sidetree.OpDeactivate, dids.next(ref.DIDSuffix))
		clearProof(f.CoreProof, i, false)
	}
	if f.Provisional == nil {
		return ops
	}
	for i, ref := range f.Provisional.Updates {
		var proof *string
		if f.ProvisionalProof != nil && i < len(f.ProvisionalProof.Updates) {
			proof = &f.ProvisionalProof.Updates[i]
		}
		scratch = withDelta(signedBody(scratch[:0], sidetree.OpUpdate, ref, proof), len(core.Creates)+len(core.Recovers)+i)
		add(sidetree.OpUpdate, dids.next(ref.DIDSuffix))
		if proof != nil {
			*proof = ""
		}
	}
	return ops
}

// proofAt is the i-th recover or deactivate proof, nil when the proof file has none there (the
// reference then composes the operation without signedData, and resolving the DID fails on it).
func proofAt(f *CoreProofFile, i int, recover bool) *string {
	if f == nil {
		return nil
	}
	list := f.Deactivates
	if recover {
		list = f.Recovers
	}
	if i >= len(list) {
		return nil
	}
	return &list[i]
}

// clearProof releases a recover or deactivate proof once its operation is composed.
func clearProof(f *CoreProofFile, i int, recover bool) {
	if p := proofAt(f, i, recover); p != nil {
		*p = ""
	}
}

// signedBody writes the start of a recover, deactivate or update body, without its closing brace.
func signedBody(b []byte, t sidetree.OperationType, ref Reference, proof *string) []byte {
	b = append(append(append(b, `{"type":"`...), t...), `","didSuffix":`...)
	b = sidetree.String(ref.DIDSuffix).AppendStringify(b)
	b = sidetree.String(ref.RevealValue).AppendStringify(append(b, `,"revealValue":`...))
	if proof != nil {
		b = sidetree.String(*proof).AppendStringify(append(b, `,"signedData":`...))
	}
	return b
}

// didCopies hands out copies of the DIDs of a batch's signed operations, made as one string.
type didCopies struct{ all string }

// signedDIDs copies the DIDs of f's recovers, deactivates and updates, in Compose's order.
func signedDIDs(f Files) *didCopies {
	refs := [][]Reference{f.Core.Recovers, f.Core.Deactivates}
	if f.Provisional != nil {
		refs = append(refs, f.Provisional.Updates)
	}
	n := 0
	for _, list := range refs {
		for _, r := range list {
			n += len(r.DIDSuffix)
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, list := range refs {
		for _, r := range list {
			b.WriteString(r.DIDSuffix)
		}
	}
	return &didCopies{all: b.String()}
}

// next returns the copy of did, the next DID in signedDIDs' order.
func (d *didCopies) next(did string) string {
	out := d.all[:len(did)]
	d.all = d.all[len(did):]
	return out
}
