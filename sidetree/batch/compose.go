package batch

import "github.com/ionode/ionode/sidetree"

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
	var ops []sidetree.AnchoredOperation
	add := func(t sidetree.OperationType, suffix string, body sidetree.Value) {
		ops = append(ops, sidetree.AnchoredOperation{
			Type: t, DIDSuffix: suffix, Raw: body.Stringify(),
			TransactionNumber: txNumber, TransactionTime: txTime, OperationIndex: uint32(len(ops)),
		})
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
	}
	for i, ref := range core.Recovers {
		body := signedBody(sidetree.OpRecover, ref, proofAt(f.CoreProof, i, true))
		if d, ok := deltaAt(len(core.Creates) + i); ok {
			body.Set("delta", d)
		}
		add(sidetree.OpRecover, ref.DIDSuffix, body)
	}
	for i, ref := range core.Deactivates {
		add(sidetree.OpDeactivate, ref.DIDSuffix, signedBody(sidetree.OpDeactivate, ref, proofAt(f.CoreProof, i, false)))
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
