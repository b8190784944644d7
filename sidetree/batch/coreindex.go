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
	// Creates are the create references' suffix data, as in the file.
	Creates     []sidetree.Value
	Recovers    []Reference
	Deactivates []Reference

	CreateSuffixes []string // computed from the suffix data
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
func ParseCoreIndexFile(data []byte, p sidetree.Parameters) (*CoreIndexFile, error) {
	model, err := parseFile(data, p.MaxCoreIndexFileSizeInBytes, sidetree.CodeCoreIndexFileDecompressionFailure, sidetree.CodeCoreIndexFileNotJson)
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
		lock, ok := model.Field("writerLockId").Str()
		if !ok {
			return nil, sidetree.Errorf(sidetree.CodeCoreIndexFileWriterLockIdPropertyNotString, "writerLockId must be a string")
		}
		if err := checkWriterLockID(lock, p); err != nil {
			return nil, err
		}
		f.WriterLockID = lock
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
		f.Creates = make([]sidetree.Value, 0, len(list))
		for _, ref := range list {
			if err := onlyProperties(ref, []string{"suffixData"}, sidetree.CodeInputValidatorInputContainsNowAllowedProperty, "create operation reference"); err != nil {
				return nil, err
			}
			suffixData := ref.Field("suffixData")
			if err := sidetree.ValidateSuffixData(suffixData); err != nil {
				return nil, err
			}
			f.Creates = append(f.Creates, suffixData)
		}
		f.CreateSuffixes = make([]string, 0, len(f.Creates))
		for _, sd := range f.Creates {
			suffix, err := sidetree.ComputeDIDSuffix(sd)
			if err != nil {
				return nil, err
			}
			f.CreateSuffixes = append(f.CreateSuffixes, suffix)
		}
	}
	if f.Recovers, err = references(operations.Field("recover"), sidetree.CodeCoreIndexFileRecoverPropertyNotArray, "recover reference"); err != nil {
		return nil, err
	}
	if f.Deactivates, err = references(operations.Field("deactivate"), sidetree.CodeCoreIndexFileDeactivatePropertyNotArray, "deactivate reference"); err != nil {
		return nil, err
	}
	if duplicates(f.Suffixes()) {
		return nil, sidetree.Errorf(sidetree.CodeCoreIndexFileMultipleOperationsForTheSameDid, "core index file has several operations for one DID")
	}
	if !model.Has("provisionalIndexFileUri") {
		// Without a provisional index file there is no chunk file, so no deltas: deactivates only.
		if len(f.Creates)+len(f.Recovers) != 0 {
			return nil, sidetree.Errorf(sidetree.CodeCoreIndexFileProvisionalIndexFileUriMissing,
				"provisional index file URI must exist since there are %d creates and %d recoveries", len(f.Creates), len(f.Recovers))
		}
	} else if f.ProvisionalIndexFileURI, err = casURI(model.Field("provisionalIndexFileUri"), p, "provisional index file URI"); err != nil {
		return nil, err
	}
	if len(f.Recovers)+len(f.Deactivates) > 0 {
		if f.CoreProofFileURI, err = casURI(model.Field("coreProofFileUri"), p, "core proof file URI"); err != nil {
			return nil, err
		}
	} else if !model.Field("coreProofFileUri").IsUndefined() {
		return nil, sidetree.Errorf(sidetree.CodeCoreIndexFileCoreProofFileUriNotAllowed, "core proof file URI not allowed without recovers and deactivates")
	}
	return f, nil
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
	for _, ref := range list {
		if err := onlyProperties(ref, []string{"didSuffix", "revealValue"}, sidetree.CodeInputValidatorInputContainsNowAllowedProperty, what); err != nil {
			return nil, err
		}
		if err := sidetree.ValidateEncodedMultihash(ref.Field("didSuffix"), suffixWhat); err != nil {
			return nil, err
		}
		if err := sidetree.ValidateEncodedMultihash(ref.Field("revealValue"), revealWhat); err != nil {
			return nil, err
		}
		suffix, _ := ref.Field("didSuffix").Str()
		reveal, _ := ref.Field("revealValue").Str()
		out = append(out, Reference{DIDSuffix: suffix, RevealValue: reveal})
	}
	return out, nil
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
