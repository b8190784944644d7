package batch

import "github.com/ionode/ionode/sidetree"

// ProvisionalIndexFile is a parsed provisional index file.
type ProvisionalIndexFile struct {
	ChunkFileURI            string
	ProvisionalProofFileURI string // empty when there are no updates
	Updates                 []Reference
}

// Suffixes lists the DIDs of the updates.
func (f *ProvisionalIndexFile) Suffixes() []string {
	out := make([]string, len(f.Updates))
	for i, u := range f.Updates {
		out[i] = u.DIDSuffix
	}
	return out
}

// ParseProvisionalIndexFile parses a compressed provisional index file as the reference's
// ProvisionalIndexFile.parse.
func ParseProvisionalIndexFile(data []byte, p sidetree.Parameters) (*ProvisionalIndexFile, error) {
	model, err := parseFile(data, p.MaxProvisionalIndexFileSizeInBytes, sidetree.CodeProvisionalIndexFileDecompressionFailure, sidetree.CodeProvisionalIndexFileNotJson)
	if err != nil {
		return nil, err
	}
	if err := onlyProperties(model, []string{"chunks", "operations", "provisionalProofFileUri"},
		sidetree.CodeProvisionalIndexFileHasUnknownProperty, "provisional index file"); err != nil {
		return nil, err
	}
	if model.Kind() == sidetree.KindNull {
		return nil, sidetree.Errorf(sidetree.CodeProvisionalIndexFileNotJson, "provisional index file is null")
	}
	f := &ProvisionalIndexFile{}
	chunks, ok := arrayOf(model.Field("chunks"))
	if !ok {
		return nil, sidetree.Errorf(sidetree.CodeProvisionalIndexFileChunksPropertyMissingOrIncorrectType, "chunks must be an array")
	}
	if len(chunks) != 1 {
		return nil, sidetree.Errorf(sidetree.CodeProvisionalIndexFileChunksPropertyDoesNotHaveExactlyOneElement, "chunks must have exactly one element, not %d", len(chunks))
	}
	if chunks[0].Kind() == sidetree.KindNull || len(chunks[0].ForInKeys()) != 1 {
		return nil, sidetree.Errorf(sidetree.CodeProvisionalIndexFileChunkHasMissingOrUnknownProperty, "a chunk must have exactly one property, chunkFileUri")
	}
	if f.ChunkFileURI, err = casURI(chunks[0].Field("chunkFileUri"), p, "chunk file URI"); err != nil {
		return nil, err
	}
	if ops := model.Field("operations"); !ops.IsUndefined() {
		if err := onlyProperties(ops, []string{"update"}, sidetree.CodeInputValidatorInputContainsNowAllowedProperty, "provisional operation references"); err != nil {
			return nil, err
		}
		if ops.Kind() == sidetree.KindNull {
			return nil, sidetree.Errorf(sidetree.CodeProvisionalIndexFileUpdateOperationsNotArray, "operations cannot be null")
		}
		if _, ok := arrayOf(ops.Field("update")); !ok {
			return nil, sidetree.Errorf(sidetree.CodeProvisionalIndexFileUpdateOperationsNotArray, "update must be an array")
		}
		if f.Updates, err = references(ops.Field("update"), sidetree.CodeProvisionalIndexFileUpdateOperationsNotArray, "update reference"); err != nil {
			return nil, err
		}
		if duplicates(f.Suffixes()) {
			return nil, sidetree.Errorf(sidetree.CodeProvisionalIndexFileMultipleOperationsForTheSameDid, "provisional index file has several updates for one DID")
		}
	}
	if len(f.Updates) > 0 {
		if f.ProvisionalProofFileURI, err = casURI(model.Field("provisionalProofFileUri"), p, "provisional proof file URI"); err != nil {
			return nil, err
		}
	} else if !model.Field("provisionalProofFileUri").IsUndefined() {
		return nil, sidetree.Errorf(sidetree.CodeProvisionalIndexFileProvisionalProofFileUriNotAllowed, "provisional proof file URI not allowed without updates")
	}
	return f, nil
}
