package batch

import (
	"bytes"

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
// both being held at once.
func Compose(txNumber, txTime uint64, f Files) []sidetree.AnchoredOperation {
	core := f.Core
	var deltas []sidetree.Value
	if f.Chunk != nil {
		deltas = f.Chunk.Deltas
	}
	deltaAt := func(i int) (sidetree.Value, bool) {
		if f.Chunk == nil || i >= len(deltas) {
			return sidetree.Value{}, false
		}
		return deltas[i], true
	}
	n := len(core.Creates) + len(core.Recovers) + len(core.Deactivates)
	if f.Provisional != nil {
		n += len(f.Provisional.Updates)
	}
	ops := make([]sidetree.AnchoredOperation, 0, n)
	var scratch []byte // each body is written here, then copied at its exact size
	add := func(t sidetree.OperationType, suffix string, body sidetree.Value) {
		scratch = body.AppendStringify(scratch[:0])
		ops = append(ops, sidetree.AnchoredOperation{
			Type: t, DIDSuffix: suffix, Raw: bytes.Clone(scratch),
			TransactionNumber: txNumber, TransactionTime: txTime, OperationIndex: uint32(len(ops)),
		})
	}
	release := func(i int) {
		if i < len(deltas) {
			deltas[i] = sidetree.Value{}
		}
	}
	for i, sd := range core.Creates {
		body := sidetree.Object(
			sidetree.Member{Key: "type", Value: sidetree.String(string(sidetree.OpCreate))},
			sidetree.Member{Key: "suffixData", Value: sd},
		)
		if d, ok := deltaAt(i); ok {
			body.Set("delta", d)
		}
		add(sidetree.OpCreate, core.CreateSuffixes[i], body)
		core.Creates[i] = sidetree.Value{}
		release(i)
	}
	for i, ref := range core.Recovers {
		body := signedBody(sidetree.OpRecover, ref, proofAt(f.CoreProof, i, true))
		if d, ok := deltaAt(len(core.Creates) + i); ok {
			body.Set("delta", d)
		}
		add(sidetree.OpRecover, ref.DIDSuffix, body)
		clearProof(f.CoreProof, i, true)
		release(len(core.Creates) + i)
	}
	for i, ref := range core.Deactivates {
		add(sidetree.OpDeactivate, ref.DIDSuffix, signedBody(sidetree.OpDeactivate, ref, proofAt(f.CoreProof, i, false)))
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
		body := signedBody(sidetree.OpUpdate, ref, proof)
		if d, ok := deltaAt(len(core.Creates) + len(core.Recovers) + i); ok {
			body.Set("delta", d)
		}
		add(sidetree.OpUpdate, ref.DIDSuffix, body)
		if proof != nil {
			*proof = ""
		}
		release(len(core.Creates) + len(core.Recovers) + i)
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

func signedBody(t sidetree.OperationType, ref Reference, proof *string) sidetree.Value {
	body := sidetree.Object(
		sidetree.Member{Key: "type", Value: sidetree.String(string(t))},
		sidetree.Member{Key: "didSuffix", Value: sidetree.String(ref.DIDSuffix)},
		sidetree.Member{Key: "revealValue", Value: sidetree.String(ref.RevealValue)},
	)
	if proof != nil {
		body.Set("signedData", sidetree.String(*proof))
	}
	return body
}
