package batch

import (
	"fmt"

	"github.com/ionode/ionode/sidetree"
)

// Put stores a file and returns its URI (CID). Build calls it in the order files must be written.
type Put func(content []byte) (uri string, err error)

// Written is a file Build wrote.
type Written struct {
	Kind string // "coreProof", "provisionalProof", "chunk", "provisionalIndex", "coreIndex"
	URI  string
	Data []byte
}

// Build writes the files of a batch of operation requests (POST /operations bodies, at most one per DID)
// as the reference's BatchWriter does — core proof, provisional proof, chunk, provisional index and core
// index files, each only when needed, in that order — and returns the anchor string and the files. The
// same requests always give the same files and the same anchor string.
func Build(requests [][]byte, writerLockID string, p sidetree.Parameters, put Put) (string, []Written, error) {
	if len(requests) == 0 {
		return "", nil, fmt.Errorf("batch: no operations")
	}
	if len(requests) > p.MaxOperationsPerBatch {
		return "", nil, fmt.Errorf("batch: %d operations exceed the maximum of %d per batch", len(requests), p.MaxOperationsPerBatch)
	}
	if writerLockID != "" {
		if err := checkWriterLockID(writerLockID, p); err != nil {
			return "", nil, err
		}
	}
	var creates, recovers, deactivates, updates []*sidetree.Operation
	seen := map[string]bool{}
	for i, raw := range requests {
		// What POST /operations accepts (RequestHandler): a request that would not have been queued could
		// make the whole batch's chunk file invalid (a missing delta is written as null).
		op, err := sidetree.ValidateRequest(raw, p)
		if err != nil {
			return "", nil, fmt.Errorf("batch: operation %d: %w", i, err)
		}
		if seen[op.DIDSuffix] {
			// The reference's queue refuses a second operation for a DID (MongoDbOperationQueue.ts:56).
			return "", nil, fmt.Errorf("batch: operation %d: %w", i, sidetree.Errorf(sidetree.CodeBatchWriterAlreadyHasOperationForDid,
				"a batch cannot have more than one operation for DID %s", op.DIDSuffix))
		}
		seen[op.DIDSuffix] = true
		switch op.Type {
		case sidetree.OpCreate:
			creates = append(creates, op)
		case sidetree.OpRecover:
			recovers = append(recovers, op)
		case sidetree.OpDeactivate:
			deactivates = append(deactivates, op)
		default:
			updates = append(updates, op)
		}
	}
	var written []Written
	write := func(kind string, model sidetree.Value) (string, error) {
		data := compress(model.Stringify())
		uri, err := put(data)
		if err != nil {
			return "", fmt.Errorf("batch: write %s file: %w", kind, err)
		}
		written = append(written, Written{Kind: kind, URI: uri, Data: data})
		return uri, nil
	}
	obj := func(members ...sidetree.Member) sidetree.Value { return sidetree.Object(members...) }
	member := func(k string, v sidetree.Value) sidetree.Member { return sidetree.Member{Key: k, Value: v} }

	var coreProofURI, provProofURI, chunkURI, provIndexURI string
	var err error
	if len(recovers)+len(deactivates) > 0 {
		model := obj(member("operations", obj(member("recover", proofsValue(compacts(recovers))), member("deactivate", proofsValue(compacts(deactivates))))))
		if coreProofURI, err = write("coreProof", model); err != nil {
			return "", nil, err
		}
	}
	if len(updates) > 0 {
		if provProofURI, err = write("provisionalProof", obj(member("operations", obj(member("update", proofsValue(compacts(updates))))))); err != nil {
			return "", nil, err
		}
	}
	var deltas []sidetree.Value
	for _, group := range [][]*sidetree.Operation{creates, recovers, updates} {
		for _, op := range group {
			deltas = append(deltas, op.Delta)
		}
	}
	if len(deltas) > 0 {
		if chunkURI, err = write("chunk", obj(member("deltas", sidetree.Array(deltas...)))); err != nil {
			return "", nil, err
		}
		model := obj(member("chunks", sidetree.Array(obj(member("chunkFileUri", sidetree.String(chunkURI))))))
		if len(updates) > 0 {
			model.Set("operations", obj(member("update", referencesValue(refsOf(updates)))))
			model.Set("provisionalProofFileUri", sidetree.String(provProofURI))
		}
		if provIndexURI, err = write("provisionalIndex", model); err != nil {
			return "", nil, err
		}
	}
	core := obj()
	if writerLockID != "" {
		core.Set("writerLockId", sidetree.String(writerLockID))
	}
	if provIndexURI != "" {
		core.Set("provisionalIndexFileUri", sidetree.String(provIndexURI))
	}
	if len(creates)+len(recovers)+len(deactivates) > 0 {
		ops := obj()
		if len(creates) > 0 {
			refs := make([]sidetree.Value, len(creates))
			for i, op := range creates {
				refs[i] = obj(member("suffixData", suffixDataValue(op.SuffixData)))
			}
			ops.Set("create", sidetree.Array(refs...))
		}
		if len(recovers) > 0 {
			ops.Set("recover", referencesValue(refsOf(recovers)))
		}
		if len(deactivates) > 0 {
			ops.Set("deactivate", referencesValue(refsOf(deactivates)))
		}
		core.Set("operations", ops)
	}
	if coreProofURI != "" {
		core.Set("coreProofFileUri", sidetree.String(coreProofURI))
	}
	coreURI, err := write("coreIndex", core)
	if err != nil {
		return "", nil, err
	}
	return AnchorString(len(requests), coreURI), written, nil
}

// suffixDataValue is the reference's create reference: {deltaHash, recoveryCommitment, type?} in that order.
func suffixDataValue(sd sidetree.Value) sidetree.Value {
	out := sidetree.Object(
		sidetree.Member{Key: "deltaHash", Value: sd.Field("deltaHash")},
		sidetree.Member{Key: "recoveryCommitment", Value: sd.Field("recoveryCommitment")},
	)
	if t := sd.Field("type"); !t.IsUndefined() {
		out.Set("type", t)
	}
	return out
}

func compacts(ops []*sidetree.Operation) []string {
	out := make([]string, len(ops))
	for i, op := range ops {
		out[i] = op.SignedData.Compact()
	}
	return out
}

func refsOf(ops []*sidetree.Operation) []Reference {
	out := make([]Reference, len(ops))
	for i, op := range ops {
		out[i] = Reference{DIDSuffix: op.DIDSuffix, RevealValue: op.RevealValue}
	}
	return out
}
