package batch

import "github.com/ionode/ionode/sidetree"

// SignedPart is a recover, deactivate or update as the core and provisional files give it, before the
// chunk file is read: enough to check its signature (sidetree.PartsVerdict) while the deltas are read.
type SignedPart struct {
	// Index is the operation index Compose gives the operation.
	Index int
	Type  sidetree.OperationType
	Reference
	// SignedData is the compact JWS of its proof, "" when the proof file has none for it (Compose then
	// writes the body without signedData: it does not parse, as "" does not).
	SignedData string
	// Parsed, when not nil, is SignedData as the reader parsed it (sidetree.ParsedPartsVerdict takes it
	// instead of parsing SignedData again).
	Parsed *sidetree.ParsedJWS
}

// signedParts lists f's signed operations in Compose's order, with Compose's operation indexes.
func signedParts(f Files) []SignedPart {
	core := f.Core
	var updates []Reference
	if f.Provisional != nil {
		updates = f.Provisional.Updates
	}
	out := make([]SignedPart, 0, len(core.Recovers)+len(core.Deactivates)+len(updates))
	add := func(t sidetree.OperationType, ref Reference, proof *string) {
		part := SignedPart{Index: len(core.Creates) + len(out), Type: t, Reference: ref}
		if proof != nil {
			part.SignedData = *proof
		}
		out = append(out, part)
	}
	for i, ref := range core.Recovers {
		add(sidetree.OpRecover, ref, proofAt(f.CoreProof, i, true))
		if f.CoreProof != nil && i < len(f.CoreProof.parsedRecovers) {
			out[len(out)-1].Parsed = &f.CoreProof.parsedRecovers[i]
		}
	}
	for i, ref := range core.Deactivates {
		add(sidetree.OpDeactivate, ref, proofAt(f.CoreProof, i, false))
		if f.CoreProof != nil && i < len(f.CoreProof.parsedDeactivates) {
			out[len(out)-1].Parsed = &f.CoreProof.parsedDeactivates[i]
		}
	}
	for i, ref := range updates {
		var proof *string
		if f.ProvisionalProof != nil && i < len(f.ProvisionalProof.Updates) {
			proof = &f.ProvisionalProof.Updates[i]
		}
		add(sidetree.OpUpdate, ref, proof)
		if proof != nil && i < len(f.ProvisionalProof.parsed) {
			out[len(out)-1].Parsed = &f.ProvisionalProof.parsed[i]
		}
	}
	return out
}
