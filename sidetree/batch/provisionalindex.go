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
// See readIndexFile.
func ParseProvisionalIndexFile(data []byte, p sidetree.Parameters) (*ProvisionalIndexFile, error) {
	return parseProvisionalIndexFile(nil, data, p)
}

// parseProvisionalIndexFile is ParseProvisionalIndexFile decompressing as decompressFile does.
func parseProvisionalIndexFile(dst *[]byte, data []byte, p sidetree.Parameters) (*ProvisionalIndexFile, error) {
	return readIndexFile(dst, data, p.MaxProvisionalIndexFileSizeInBytes, sidetree.CodeProvisionalIndexFileDecompressionFailure,
		func(raw []byte) (*ProvisionalIndexFile, bool) { return streamProvisionalIndexFile(raw, p) },
		func(raw []byte) (*ProvisionalIndexFile, error) { return parseProvisionalIndexWhole(raw, p) })
}

// parseProvisionalIndexWhole reads a decompressed provisional index file as one tree.
func parseProvisionalIndexWhole(raw []byte, p sidetree.Parameters) (*ProvisionalIndexFile, error) {
	model, err := parseJSONFile(raw, sidetree.CodeProvisionalIndexFileNotJson)
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
		if !addReferences(make(map[string]struct{}, len(f.Updates)), f.Updates) {
			return nil, sidetree.Errorf(sidetree.CodeProvisionalIndexFileMultipleOperationsForTheSameDid, "provisional index file has several updates for one DID")
		}
	}
	if err := f.proofURI(model.Field("provisionalProofFileUri"), p); err != nil {
		return nil, err
	}
	return f, nil
}

// proofURI checks the provisional proof file URI (undefined when absent) against the updates.
func (f *ProvisionalIndexFile) proofURI(v sidetree.Value, p sidetree.Parameters) error {
	if len(f.Updates) == 0 {
		if !v.IsUndefined() {
			return sidetree.Errorf(sidetree.CodeProvisionalIndexFileProvisionalProofFileUriNotAllowed, "provisional proof file URI not allowed without updates")
		}
		return nil
	}
	var err error
	f.ProvisionalProofFileURI, err = casURI(v, p, "provisional proof file URI")
	return err
}

// streamProvisionalIndexFile reads a decompressed provisional index file of the plain shape one
// reference at a time, with ParseProvisionalIndexFile's checks. ok is false when the file is of another
// shape or fails a check: then only the whole-file reading gives the reference's meaning and error.
func streamProvisionalIndexFile(raw []byte, p sidetree.Parameters) (f *ProvisionalIndexFile, ok bool) {
	f = &ProvisionalIndexFile{}
	proofURI := sidetree.Undefined()
	chunks, operations, updates := -1, false, false // chunks: their count, -1 before the list
	walked := sidetree.WalkYieldable(raw, func(path []string, i int, v sidetree.Value, _ []byte, _ bool) bool {
		switch {
		case len(path) == 1 && path[0] == "chunks":
			if i < 0 {
				chunks = 0
				return v.Kind() == sidetree.KindArray
			}
			chunks++
			if v.Kind() != sidetree.KindObject || v.Len() != 1 {
				return false
			}
			uri, err := casURI(v.Field("chunkFileUri"), p, "chunk file URI")
			f.ChunkFileURI = uri
			return err == nil
		case len(path) == 1 && path[0] == "provisionalProofFileUri":
			// Only a string is kept: the value's storage is reused once this returns.
			_, isString := v.Str()
			proofURI = v
			return isString
		case len(path) == 1 && path[0] == "operations":
			operations = true
			return v.Kind() == sidetree.KindObject
		case len(path) == 2 && path[0] == "operations" && path[1] == "update":
			if i < 0 {
				updates = true
				return v.Kind() == sidetree.KindArray
			}
			ref, err := reference(v, "update reference", "update reference didSuffix", "update reference revealValue")
			f.Updates = append(f.Updates, ref)
			return err == nil
		}
		return false
	})
	if !walked || chunks != 1 || operations != updates || !addReferences(make(map[string]struct{}, len(f.Updates)), f.Updates) || f.proofURI(proofURI, p) != nil {
		return nil, false
	}
	return f, true
}
