package batch

import "github.com/ionode/ionode/sidetree"

// ChunkFile is a parsed chunk file: the deltas of the batch's creates, recovers and updates, in order.
type ChunkFile struct {
	Deltas []sidetree.Value
}

// ParseChunkFile parses a compressed chunk file as the reference's ChunkFile.parse: each delta must be a
// JSON object (typeof "object") passing Delta.validateDelta: present, within the size limit, and a valid
// delta (patches and update commitment).
func ParseChunkFile(data []byte, p sidetree.Parameters) (*ChunkFile, error) {
	model, err := parseFile(data, p.MaxChunkFileSizeInBytes, codeChunkFileDecompressionFailure, sidetree.CodeInvalidJSON)
	if err != nil {
		return nil, err
	}
	if err := onlyProperties(model, []string{"deltas"}, sidetree.CodeChunkFileUnexpectedProperty, "chunk file"); err != nil {
		return nil, err
	}
	if model.Kind() == sidetree.KindNull {
		return nil, sidetree.Errorf(sidetree.CodeChunkFileDeltasPropertyNotArray, "chunk file is null")
	}
	deltas, ok := arrayOf(model.Field("deltas"))
	if !ok {
		return nil, sidetree.Errorf(sidetree.CodeChunkFileDeltasPropertyNotArray, "deltas must be an array")
	}
	for _, d := range deltas {
		if !d.IsJSObjectType() {
			return nil, sidetree.Errorf(sidetree.CodeChunkFileDeltasNotArrayOfObjects, "deltas must be objects")
		}
		if err := sidetree.ValidateDeltaSize(d, p); err != nil {
			return nil, err
		}
	}
	return &ChunkFile{Deltas: deltas}, nil
}
