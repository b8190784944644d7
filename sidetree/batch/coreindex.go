package batch

import (
	"github.com/ionode/ionode/sidetree"
)

// Reference is a recover, deactivate or update reference: the DID and the reveal value of the key that
// signs the operation (in a proof file).
type Reference struct {
	DIDSuffix   string
	RevealValue string
}

// CoreIndexFile is a parsed core index file.
type CoreIndexFile struct {
	WriterLockID            string // empty when none
	ProvisionalIndexFileURI string // empty when absent (a batch of deactivates only)
	CoreProofFileURI        string // empty when absent (no recovers or deactivates)
	// Creates are the create references' suffix data, each in its JSON.stringify form (the form it takes
	// in the operation's request body).
	Creates     [][]byte
	Recovers    []Reference
	Deactivates []Reference

	CreateSuffixes []string // computed from the suffix data

	// suffixes is the set of Suffixes, made by the one-operation-per-DID check and kept for the check of
	// the provisional index file's updates against it.
	suffixes map[string]struct{}
}

// Suffixes lists the DIDs of the core operations: creates, recovers, deactivates.
func (f *CoreIndexFile) Suffixes() []string {
	out := append(make([]string, 0, f.count()), f.CreateSuffixes...)
	for _, r := range f.Recovers {
		out = append(out, r.DIDSuffix)
	}
	for _, r := range f.Deactivates {
		out = append(out, r.DIDSuffix)
	}
	return out
}

// count is len(f.Suffixes()), without listing them.
func (f *CoreIndexFile) count() int {
	return len(f.CreateSuffixes) + len(f.Recovers) + len(f.Deactivates)
}

// ParseCoreIndexFile parses a compressed core index file as the reference's CoreIndexFile.parse.
// See readIndexFile.
func ParseCoreIndexFile(data []byte, p sidetree.Parameters) (*CoreIndexFile, error) {
	return parseCoreIndexFile(nil, data, p)
}

// parseCoreIndexFile is ParseCoreIndexFile decompressing as decompressFile does.
func parseCoreIndexFile(dst *[]byte, data []byte, p sidetree.Parameters) (*CoreIndexFile, error) {
	return readIndexFile(dst, data, p.MaxCoreIndexFileSizeInBytes, sidetree.CodeCoreIndexFileDecompressionFailure,
		func(raw []byte) (*CoreIndexFile, bool) { return streamCoreIndexFile(raw, p) },
		func(raw []byte) (*CoreIndexFile, error) { return parseCoreIndexWhole(raw, p) })
}

// parseCoreIndexWhole reads a decompressed core index file as one tree.
func parseCoreIndexWhole(raw []byte, p sidetree.Parameters) (*CoreIndexFile, error) {
	model, err := parseJSONFile(raw, sidetree.CodeCoreIndexFileNotJson)
	if err != nil {
		return nil, err
	}
	if err := onlyProperties(model, []string{"provisionalIndexFileUri", "coreProofFileUri", "operations", "writerLockId"},
		sidetree.CodeCoreIndexFileHasUnknownProperty, "core index file"); err != nil {
		return nil, err
	}
	if !model.IsObject() && model.Kind() != sidetree.KindArray {
		// `'writerLockId' in model` throws on anything but an object (a TypeError the reference retries
		// forever; the file is invalid here). An array passed the property check only if empty, and then
		// reads as a file without operations, as in the reference.
		return nil, sidetree.Errorf(sidetree.CodeCoreIndexFileNotJson, "core index file is not a JSON object")
	}
	f := &CoreIndexFile{}
	if model.Has("writerLockId") {
		if f.WriterLockID, err = writerLockID(model.Field("writerLockId"), p); err != nil {
			return nil, err
		}
	}
	operations := sidetree.Object()
	if model.Has("operations") {
		operations = model.Field("operations")
		if operations.Kind() == sidetree.KindNull {
			// The reference reads null.create and throws.
			return nil, sidetree.Errorf(sidetree.CodeCoreIndexFileUnexpectedPropertyInOperations, "operations of a core index file cannot be null")
		}
	}
	if err := onlyProperties(operations, []string{"create", "recover", "deactivate"},
		sidetree.CodeCoreIndexFileUnexpectedPropertyInOperations, "the operations of a core index file"); err != nil {
		return nil, err
	}
	if creates := operations.Field("create"); !creates.IsUndefined() {
		list, ok := arrayOf(creates)
		if !ok {
			return nil, sidetree.Errorf(sidetree.CodeCoreIndexFileCreatePropertyNotArray, "create must be an array")
		}
		// Every reference is checked before any suffix is computed, as in the reference.
		for _, ref := range list {
			if _, err := createSuffixData(ref); err != nil {
				return nil, err
			}
		}
		var texts slab
		f.Creates = make([][]byte, 0, len(list))
		f.CreateSuffixes = make([]string, 0, len(list))
		for _, ref := range list {
			sd := ref.Field("suffixData")
			suffix, err := sidetree.ComputeDIDSuffix(sd)
			if err != nil {
				return nil, err
			}
			f.Creates, f.CreateSuffixes = append(f.Creates, texts.stringify(sd, maxSuffixDataText)), append(f.CreateSuffixes, suffix)
		}
	}
	if f.Recovers, err = references(operations.Field("recover"), sidetree.CodeCoreIndexFileRecoverPropertyNotArray, "recover reference"); err != nil {
		return nil, err
	}
	if f.Deactivates, err = references(operations.Field("deactivate"), sidetree.CodeCoreIndexFileDeactivatePropertyNotArray, "deactivate reference"); err != nil {
		return nil, err
	}
	if err := f.finish(model.Field("provisionalIndexFileUri"), model.Field("coreProofFileUri"), p); err != nil {
		return nil, err
	}
	return f, nil
}

// maxSuffixDataText is what a create's suffix data is expected to fit in when written out (two hashes
// and a type), a size hint for the slab its texts are written into.
const maxSuffixDataText = 256

// createSuffixData checks a create reference ({suffixData}) and returns its suffix data.
func createSuffixData(ref sidetree.Value) (sidetree.Value, error) {
	if err := onlyProperties(ref, []string{"suffixData"}, sidetree.CodeInputValidatorInputContainsNowAllowedProperty, "create operation reference"); err != nil {
		return sidetree.Value{}, err
	}
	suffixData := ref.Field("suffixData")
	if err := sidetree.ValidateSuffixData(suffixData); err != nil {
		return sidetree.Value{}, err
	}
	return suffixData, nil
}

// finish makes the checks that involve several parts of the file, in the reference's order, once its
// operations are read: one operation per DID, then the two URIs (undefined when absent).
func (f *CoreIndexFile) finish(provisionalURI, proofURI sidetree.Value, p sidetree.Parameters) error {
	f.suffixes = make(map[string]struct{}, f.count())
	if !addAll(f.suffixes, f.CreateSuffixes, itself) || !addReferences(f.suffixes, f.Recovers) || !addReferences(f.suffixes, f.Deactivates) {
		return sidetree.Errorf(sidetree.CodeCoreIndexFileMultipleOperationsForTheSameDid, "core index file has several operations for one DID")
	}
	var err error
	if provisionalURI.IsUndefined() {
		// Without a provisional index file there is no chunk file, so no deltas: deactivates only.
		if len(f.Creates)+len(f.Recovers) != 0 {
			return sidetree.Errorf(sidetree.CodeCoreIndexFileProvisionalIndexFileUriMissing,
				"provisional index file URI must exist since there are %d creates and %d recoveries", len(f.Creates), len(f.Recovers))
		}
	} else if f.ProvisionalIndexFileURI, err = casURI(provisionalURI, p, "provisional index file URI"); err != nil {
		return err
	}
	if len(f.Recovers)+len(f.Deactivates) > 0 {
		if f.CoreProofFileURI, err = casURI(proofURI, p, "core proof file URI"); err != nil {
			return err
		}
	} else if !proofURI.IsUndefined() {
		return sidetree.Errorf(sidetree.CodeCoreIndexFileCoreProofFileUriNotAllowed, "core proof file URI not allowed without recovers and deactivates")
	}
	return nil
}

// streamCoreIndexFile reads a decompressed core index file of the plain shape one reference at a time,
// with ParseCoreIndexFile's checks. ok is false when the file is of another shape or fails a check: then
// only the whole-file reading gives the reference's meaning and error.
func streamCoreIndexFile(raw []byte, p sidetree.Parameters) (f *CoreIndexFile, ok bool) {
	f = &CoreIndexFile{}
	provisionalURI, proofURI := sidetree.Undefined(), sidetree.Undefined()
	var texts slab
	// The suffix data text inside a create reference's, when that is written as JSON.stringify writes it.
	const prefix = `{"suffixData":`
	walked := sidetree.WalkYieldable(raw, func(path []string, i int, v sidetree.Value, text []byte, stringify bool) bool {
		switch {
		case len(path) == 1 && i < 0:
			switch path[0] {
			case "writerLockId":
				lock, err := writerLockID(v, p)
				f.WriterLockID = lock
				return err == nil
			case "provisionalIndexFileUri", "coreProofFileUri":
				// Only a string is kept: the value's storage is reused once this returns.
				if _, isString := v.Str(); !isString {
					return false
				}
				if path[0] == "coreProofFileUri" {
					proofURI = v
				} else {
					provisionalURI = v
				}
				return true
			case "operations":
				return v.Kind() == sidetree.KindObject
			}
		case len(path) == 2 && path[0] == "operations":
			if i < 0 {
				return v.Kind() == sidetree.KindArray && (path[1] == "create" || path[1] == "recover" || path[1] == "deactivate")
			}
			switch path[1] {
			case "create":
				sd, err := createSuffixData(v)
				if err != nil {
					return false
				}
				var suffix string
				if stringify && v.Len() == 1 {
					text = text[len(prefix) : len(text)-1 : len(text)-1]
					suffix, err = sidetree.ComputeDIDSuffixOfText(sd, text)
				} else {
					suffix, err = sidetree.ComputeDIDSuffix(sd)
					text = texts.stringify(sd, maxSuffixDataText)
				}
				if err != nil {
					return false
				}
				f.Creates, f.CreateSuffixes = append(f.Creates, text), append(f.CreateSuffixes, suffix)
				return true
			case "recover":
				ref, err := reference(v, "recover reference", "recover reference didSuffix", "recover reference revealValue")
				f.Recovers = append(f.Recovers, ref)
				return err == nil
			case "deactivate":
				ref, err := reference(v, "deactivate reference", "deactivate reference didSuffix", "deactivate reference revealValue")
				f.Deactivates = append(f.Deactivates, ref)
				return err == nil
			}
		}
		return false
	})
	if !walked || f.finish(provisionalURI, proofURI, p) != nil {
		return nil, false
	}
	return f, true
}

// writerLockID checks a writerLockId property.
func writerLockID(v sidetree.Value, p sidetree.Parameters) (string, error) {
	lock, ok := v.Str()
	if !ok {
		return "", sidetree.Errorf(sidetree.CodeCoreIndexFileWriterLockIdPropertyNotString, "writerLockId must be a string")
	}
	if err := checkWriterLockID(lock, p); err != nil {
		return "", err
	}
	return lock, nil
}

func checkWriterLockID(lock string, p sidetree.Parameters) error {
	if len(lock) > p.MaxWriterLockIDInBytes {
		return sidetree.Errorf(sidetree.CodeCoreIndexFileWriterLockIdExceededMaxSize,
			"writer lock ID of %d bytes exceeds the maximum of %d bytes", len(lock), p.MaxWriterLockIDInBytes)
	}
	return nil
}

// references parses recover, deactivate or update references (InputValidator.validateOperationReferences).
func references(v sidetree.Value, notArray sidetree.Code, what string) ([]Reference, error) {
	if v.IsUndefined() {
		return nil, nil
	}
	list, ok := arrayOf(v)
	if !ok {
		return nil, sidetree.Errorf(notArray, "%ss must be an array", what)
	}
	out := make([]Reference, 0, len(list))
	// The names for the errors are joined once, not twice per reference (a third of a batch's allocations).
	suffixWhat, revealWhat := what+" didSuffix", what+" revealValue"
	for _, v := range list {
		ref, err := reference(v, what, suffixWhat, revealWhat)
		if err != nil {
			return nil, err
		}
		out = append(out, ref)
	}
	return out, nil
}

// reference checks one {didSuffix, revealValue} reference (what names it in errors, suffixWhat and
// revealWhat its two properties).
func reference(ref sidetree.Value, what, suffixWhat, revealWhat string) (Reference, error) {
	if err := onlyProperties(ref, []string{"didSuffix", "revealValue"}, sidetree.CodeInputValidatorInputContainsNowAllowedProperty, what); err != nil {
		return Reference{}, err
	}
	if err := sidetree.ValidateEncodedMultihash(ref.Field("didSuffix"), suffixWhat); err != nil {
		return Reference{}, err
	}
	if err := sidetree.ValidateEncodedMultihash(ref.Field("revealValue"), revealWhat); err != nil {
		return Reference{}, err
	}
	suffix, _ := ref.Field("didSuffix").Str()
	reveal, _ := ref.Field("revealValue").Str()
	return Reference{DIDSuffix: suffix, RevealValue: reveal}, nil
}

// referencesValue is the JSON of references, {didSuffix, revealValue} each.
func referencesValue(refs []Reference) sidetree.Value {
	out := make([]sidetree.Value, len(refs))
	for i, r := range refs {
		out[i] = sidetree.Object(
			sidetree.Member{Key: "didSuffix", Value: sidetree.String(r.DIDSuffix)},
			sidetree.Member{Key: "revealValue", Value: sidetree.String(r.RevealValue)},
		)
	}
	return sidetree.Array(out...)
}
