package sidetree

// Patch actions ION accepts. The Sidetree specification also defines "ietf-json-patch", but ION's
// reference (v1.0.6, what mainnet runs) rejects it as an unknown action; accepting it would make us
// compute states no other ION node computes, so we reject it too.
const (
	PatchReplace          = "replace"
	PatchAddPublicKeys    = "add-public-keys"
	PatchRemovePublicKeys = "remove-public-keys"
	PatchAddServices      = "add-services"
	PatchRemoveServices   = "remove-services"
)

// Public key purposes, which become the DID document's verification relationships.
const (
	PurposeAuthentication       = "authentication"
	PurposeAssertionMethod      = "assertionMethod"
	PurposeCapabilityInvocation = "capabilityInvocation"
	PurposeCapabilityDelegation = "capabilityDelegation"
	PurposeKeyAgreement         = "keyAgreement"
)

func isPurpose(s string) bool {
	switch s {
	case PurposeAuthentication, PurposeAssertionMethod, PurposeCapabilityInvocation, PurposeCapabilityDelegation, PurposeKeyAgreement:
		return true
	}
	return false
}

const (
	maxIDLength          = 50
	maxServiceTypeLength = 30
)

// ValidatePatches checks a delta's patches as the reference's DocumentComposer.validateDocumentPatches.
func ValidatePatches(patches Value) error {
	if patches.Kind() != KindArray {
		return codeError(CodeDocumentComposerUpdateOperationDocumentPatchesNotArray)
	}
	for _, p := range patches.Elems() {
		if err := validatePatch(p); err != nil {
			return err
		}
	}
	return nil
}

func validatePatch(patch Value) error {
	actionV, err := propertyOf(patch, "action")
	if err != nil {
		return err
	}
	action, _ := actionV.Str()
	if actionV.Kind() != KindString {
		action = ""
	}
	switch action {
	case PatchReplace:
		doc, _ := propertyOf(patch, "document")
		return validateDocument(doc)
	case PatchAddPublicKeys:
		if n, _ := objectKeysLen(patch); n != 2 {
			return codeError(CodeDocumentComposerPatchMissingOrUnknownProperty)
		}
		return validatePublicKeys(field(patch, "publicKeys"))
	case PatchRemovePublicKeys:
		return validateRemovePatch(patch, CodeDocumentComposerUnknownPropertyInRemovePublicKeysPatch, CodeDocumentComposerPatchPublicKeyIdsNotArray, "remove-public-keys")
	case PatchAddServices:
		if n, _ := objectKeysLen(patch); n != 2 {
			return codeError(CodeDocumentComposerPatchMissingOrUnknownProperty)
		}
		if field(patch, "services").Kind() != KindArray {
			return codeError(CodeDocumentComposerPatchServicesNotArray)
		}
		return validateServices(field(patch, "services"))
	case PatchRemoveServices:
		return validateRemovePatch(patch, CodeDocumentComposerUnknownPropertyInRemoveServicesPatch, CodeDocumentComposerPatchServiceIdsNotArray, "remove-services")
	}
	return codeError(CodeDocumentComposerPatchMissingOrUnknownAction)
}

func validateRemovePatch(patch Value, unknownProp, idsNotArray Code, name string) error {
	if k, found := forInKeyNotIn(patch, "action", "ids"); found {
		return jsError(unknownProp, "Unexpected property "+k+" in "+name+" patch.")
	}
	ids := field(patch, "ids")
	if ids.Kind() != KindArray {
		return codeError(idsNotArray)
	}
	for _, id := range ids.Elems() {
		if err := validateID(id); err != nil {
			return err
		}
	}
	return nil
}

// validateDocument checks the document of a replace patch: only publicKeys and services.
func validateDocument(doc Value) error {
	if doc.Kind() == kindUndefined {
		return codeError(CodeDocumentComposerDocumentMissing)
	}
	if k, found := forInKeyNotIn(doc, "publicKeys", "services"); found {
		return jsError(CodeDocumentComposerUnknownPropertyInDocument, "Unexpected property "+k+" in document.")
	}
	hasKeys, err := hasProperty(doc, "publicKeys")
	if err != nil {
		return err
	}
	if hasKeys {
		if err := validatePublicKeys(field(doc, "publicKeys")); err != nil {
			return err
		}
	}
	if hasServices, _ := hasProperty(doc, "services"); hasServices {
		return validateServices(field(doc, "services"))
	}
	return nil
}

func validatePublicKeys(keys Value) error {
	if keys.Kind() != KindArray {
		return codeError(CodeDocumentComposerPublicKeysNotArray)
	}
	var seen idSet
	for _, key := range keys.Elems() {
		if k, found := forInKeyNotIn(key, "id", "type", "purposes", "publicKeyJwk"); found {
			return jsError(CodeDocumentComposerPublicKeyUnknownProperty, "Unexpected property, "+k+", in publicKey.")
		}
		if !key.IsObject() {
			if _, err := propertyOf(key, "publicKeyJwk"); err != nil { // null and undefined throw
				return err
			}
		}
		parts := keyPartsOf(key) // all missing for a key that is no object, as its properties are
		if err := validateNonArrayObject(parts.jwk, "publicKeyJwk"); err != nil {
			return err
		}
		if parts.typ.Kind() != KindString {
			return codeError(CodeDocumentComposerPublicKeyTypeMissingOrIncorrectType)
		}
		if err := validateID(parts.id); err != nil {
			return err
		}
		idStr, _ := parts.id.Str()
		if seen.add(idStr) {
			return codeError(CodeDocumentComposerPublicKeyIdDuplicated)
		}
		if purposes := parts.purposes; purposes.Kind() != kindUndefined {
			if purposes.Kind() != KindArray {
				return codeError(CodeDocumentComposerPublicKeyPurposesIncorrectType)
			}
			elems := purposes.Elems()
			for i := range elems {
				for j := 0; j < i; j++ {
					if sameValueZero(elems[i], elems[j]) {
						return codeError(CodeDocumentComposerPublicKeyPurposesDuplicated)
					}
				}
			}
			for _, p := range elems {
				if s, ok := p.Str(); !ok || !isPurpose(s) {
					return codeError(CodeDocumentComposerPublicKeyInvalidPurpose)
				}
			}
		}
	}
	return nil
}

func validateServices(services Value) error {
	if services.Kind() != KindArray {
		return codeError(CodeDocumentComposerPatchServicesNotArray)
	}
	var seen idSet
	for _, svc := range services.Elems() {
		n, err := objectKeysLen(svc)
		if err != nil {
			return err
		}
		if n != 3 {
			return codeError(CodeDocumentComposerServiceHasMissingOrUnknownProperty)
		}
		id := field(svc, "id")
		if err := validateID(id); err != nil {
			return err
		}
		idStr, _ := id.Str()
		if seen.add(idStr) {
			return jsError(CodeDocumentComposerPatchServiceIdNotUnique, "Service id has to be unique")
		}
		typ, ok := field(svc, "type").Str()
		if !ok {
			return codeError(CodeDocumentComposerPatchServiceTypeNotString)
		}
		if utf16Len(typ) > maxServiceTypeLength {
			return codeError(CodeDocumentComposerPatchServiceTypeTooLong)
		}
		endpoint := field(svc, "serviceEndpoint")
		switch endpoint.Kind() {
		case KindString:
			if s, _ := endpoint.Str(); !isValidServiceEndpointURI(s) {
				return jsError(CodeDocumentComposerPatchServiceEndpointStringNotValidUri, "Service endpoint string '"+s+"' is not a valid URI.")
			}
		case KindArray:
			return codeError(CodeDocumentComposerPatchServiceEndpointCannotBeAnArray)
		case KindObject, KindNull:
		default:
			return codeError(CodeDocumentComposerPatchServiceEndpointMustBeStringOrNonArrayObject)
		}
	}
	return nil
}

func validateID(id Value) error {
	s, ok := id.Str()
	if !ok {
		return jsError(CodeDocumentComposerIdNotString, "ID not string: "+jsonText(id)+" is of type '"+jsTypeof(id)+"'")
	}
	if utf16Len(s) > maxIDLength {
		return codeError(CodeDocumentComposerIdTooLong)
	}
	if !IsBase64URL(s) {
		return codeError(CodeDocumentComposerIdNotUsingBase64UrlCharacterSet)
	}
	return nil
}

// ApplyPatches applies validated patches to a document in place, as DocumentComposer.applyPatches does.
func ApplyPatches(doc *Value, patches Value) {
	for _, p := range patches.Elems() {
		action, _ := field(p, "action").Str()
		switch action {
		case PatchReplace:
			// Object.assign of the patch document into the cleared document: an empty array adds nothing.
			replacement := field(p, "document")
			*doc = objectValue(make([]Member, 0, len(replacement.Members()))) // sized: Set would start at four
			for _, m := range replacement.Members() {
				doc.Set(m.Key, m.Value)
			}
		case PatchAddPublicKeys:
			keys := field(*doc, "publicKeys").Elems()
			merged := append([]Value(nil), keys...)
			for _, k := range field(p, "publicKeys").Elems() {
				merged = upsertByID(merged, k)
			}
			doc.Set("publicKeys", arrayValue(merged))
		case PatchRemovePublicKeys:
			removeByIDs(doc, "publicKeys", field(p, "ids"))
		case PatchAddServices:
			services := append([]Value(nil), field(*doc, "services").Elems()...)
			for _, s := range field(p, "services").Elems() {
				services = upsertByID(services, s)
			}
			doc.Set("services", arrayValue(services))
		case PatchRemoveServices:
			removeByIDs(doc, "services", field(p, "ids"))
		}
	}
}

// upsertByID replaces the element with the same id in place, or appends: the reference's Map keyed by id
// keeps the original position of a replaced key.
func upsertByID(list []Value, item Value) []Value {
	id := field(item, "id")
	for i := range list {
		if sameValueZero(field(list[i], "id"), id) {
			list[i] = item
			return list
		}
	}
	return append(list, item)
}

func removeByIDs(doc *Value, prop string, ids Value) {
	current := field(*doc, prop)
	if current.Kind() == kindUndefined {
		return
	}
	kept := make([]Value, 0, current.Len())
	for _, item := range current.Elems() {
		remove := false
		for _, id := range ids.Elems() {
			if sameValueZero(field(item, "id"), id) {
				remove = true
				break
			}
		}
		if !remove {
			kept = append(kept, item)
		}
	}
	doc.Set(prop, arrayValue(kept))
}
