package batch

import "github.com/ionode/ionode/sidetree"

// ChunkFile is a parsed chunk file: the deltas of the batch's creates, recovers and updates, in order.
// Each delta is kept as the JSON.stringify form of what the reference parsed, the form in which it goes
// into the operation's request body, rather than as a tree: the tree of a 10,000-delta file is several
// times the size of the text.
type ChunkFile struct {
	Deltas [][]byte
}

// ParseChunkFile parses a compressed chunk file as the reference's ChunkFile.parse: each delta must be a
// JSON object (typeof "object") passing Delta.validateDelta: present, within the size limit, and a valid
// delta (patches and update commitment).
//
// A file of the plain shape {"deltas":[…]} is read one delta at a time (sidetree.EachYieldableElement);
// any other file, or one with an invalid delta, is read whole as the reference reads it, so that its
// meaning and its error are the reference's.
func ParseChunkFile(data []byte, p sidetree.Parameters) (*ChunkFile, error) {
	return parseChunkFile(nil, data, p, 0)
}

// parseChunkFile is ParseChunkFile decompressing as decompressFile does, expecting about want deltas
// (the count the index files give: a capacity, not a check).
func parseChunkFile(dst *[]byte, data []byte, p sidetree.Parameters, want int) (*ChunkFile, error) {
	raw, err := decompressFile(dst, data, p.MaxChunkFileSizeInBytes, codeChunkFileDecompressionFailure)
	if err != nil {
		return nil, err
	}
	var s slab
	// No more than the file could hold: want comes from files the writer wrote too.
	f := &ChunkFile{Deltas: make([][]byte, 0, min(want, len(raw)/len(`{},`)+1))}
	// Each delta is written out before the next is read, unless its text is already what writing it out
	// would give (then the text is kept, its length the size checked). raw is not changed: it backs them.
	if sidetree.EachYieldableElement(raw, []string{"deltas"}, func(_ int, d sidetree.Value, text []byte, stringify bool) bool {
		if !d.IsJSObjectType() {
			return false
		}
		if stringify {
			if len(text) > p.MaxDeltaSizeInBytes || sidetree.ValidateDelta(d) != nil {
				return false
			}
			f.Deltas = append(f.Deltas, text)
			return true
		}
		if sidetree.ValidateDeltaSize(d, p) != nil {
			return false
		}
		f.Deltas = append(f.Deltas, s.stringify(d, p.MaxDeltaSizeInBytes))
		return true
	}) {
		return f, nil
	}
	model, err := parseJSONFile(raw, sidetree.CodeInvalidJSON)
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
	f.Deltas = make([][]byte, 0, len(deltas))
	for _, d := range deltas {
		if !d.IsJSObjectType() {
			return nil, sidetree.Errorf(sidetree.CodeChunkFileDeltasNotArrayOfObjects, "deltas must be objects")
		}
		if err := sidetree.ValidateDeltaSize(d, p); err != nil {
			return nil, err
		}
		f.Deltas = append(f.Deltas, s.stringify(d, p.MaxDeltaSizeInBytes))
	}
	return f, nil
}
