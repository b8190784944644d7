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
		return newError(CodeDocumentComposerUpdateOperationDocumentPatchesNotArray, "patches must be an array")
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
			return newError(CodeDocumentComposerPatchMissingOrUnknownProperty, "add-public-keys patch must have exactly action and publicKeys")
		}
		return validatePublicKeys(field(patch, "publicKeys"))
	case PatchRemovePublicKeys:
		return validateRemovePatch(patch, CodeDocumentComposerUnknownPropertyInRemovePublicKeysPatch, CodeDocumentComposerPatchPublicKeyIdsNotArray, "remove-public-keys")
	case PatchAddServices:
		if n, _ := objectKeysLen(patch); n != 2 {
			return newError(CodeDocumentComposerPatchMissingOrUnknownProperty, "add-services patch must have exactly action and services")
		}
		if field(patch, "services").Kind() != KindArray {
			return newError(CodeDocumentComposerPatchServicesNotArray, "services must be an array")
		}
		return validateServices(field(patch, "services"))
	case PatchRemoveServices:
		return validateRemovePatch(patch, CodeDocumentComposerUnknownPropertyInRemoveServicesPatch, CodeDocumentComposerPatchServiceIdsNotArray, "remove-services")
	}
	return newError(CodeDocumentComposerPatchMissingOrUnknownAction, "patch action is missing or unknown")
}

func validateRemovePatch(patch Value, unknownProp, idsNotArray Code, name string) error {
	for _, k := range forInKeys(patch) {
		if k != "action" && k != "ids" {
			return newError(unknownProp, "unexpected property %q in %s patch", truncate(k), name)
		}
	}
	ids := field(patch, "ids")
	if ids.Kind() != KindArray {
		return newError(idsNotArray, "%s patch ids must be an array", name)
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
		return newError(CodeDocumentComposerDocumentMissing, "replace patch has no document")
	}
	for _, k := range forInKeys(doc) {
		if k != "publicKeys" && k != "services" {
			return newError(CodeDocumentComposerUnknownPropertyInDocument, "unexpected property %q in document", truncate(k))
		}
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
		return newError(CodeDocumentComposerPublicKeysNotArray, "publicKeys must be an array")
	}
	seen := make(map[string]bool, keys.Len())
	for _, key := range keys.Elems() {
		for _, k := range forInKeys(key) {
			switch k {
			case "id", "type", "purposes", "publicKeyJwk":
			default:
				return newError(CodeDocumentComposerPublicKeyUnknownProperty, "unexpected property %q in public key", truncate(k))
			}
		}
		jwk, err := propertyOf(key, "publicKeyJwk")
		if err != nil {
			return err
		}
		if !isJSObjectType(jwk) {
			return newError(CodeInputValidatorInputIsNotAnObject, "publicKeyJwk is not an object")
		}
		if jwk.Kind() == KindArray {
			return newError(CodeInputValidatorInputCannotBeAnArray, "publicKeyJwk cannot be an array")
		}
		if field(key, "type").Kind() != KindString {
			return newError(CodeDocumentComposerPublicKeyTypeMissingOrIncorrectType, "public key type must be a string")
		}
		id := field(key, "id")
		if err := validateID(id); err != nil {
			return err
		}
		idStr, _ := id.Str()
		if seen[idStr] {
			return newError(CodeDocumentComposerPublicKeyIdDuplicated, "public key id %q is duplicated", idStr)
		}
		seen[idStr] = true
		if key.Has("purposes") {
			purposes := field(key, "purposes")
			if purposes.Kind() != KindArray {
				return newError(CodeDocumentComposerPublicKeyPurposesIncorrectType, "public key purposes must be an array")
			}
			elems := purposes.Elems()
			for i := range elems {
				for j := 0; j < i; j++ {
					if sameValueZero(elems[i], elems[j]) {
						return newError(CodeDocumentComposerPublicKeyPurposesDuplicated, "public key purposes are duplicated")
					}
				}
			}
			for _, p := range elems {
				if s, ok := p.Str(); !ok || !isPurpose(s) {
					return newError(CodeDocumentComposerPublicKeyInvalidPurpose, "invalid public key purpose %s", truncate(p.String()))
				}
			}
		}
	}
	return nil
}

func validateServices(services Value) error {
	if services.Kind() != KindArray {
		return newError(CodeDocumentComposerPatchServicesNotArray, "services must be an array")
	}
	seen := make(map[string]bool, services.Len())
	for _, svc := range services.Elems() {
		n, err := objectKeysLen(svc)
		if err != nil {
			return err
		}
		if n != 3 {
			return newError(CodeDocumentComposerServiceHasMissingOrUnknownProperty, "a service must have exactly id, type and serviceEndpoint")
		}
		id := field(svc, "id")
		if err := validateID(id); err != nil {
			return err
		}
		idStr, _ := id.Str()
		if seen[idStr] {
			return newError(CodeDocumentComposerPatchServiceIdNotUnique, "service id %q is not unique", idStr)
		}
		seen[idStr] = true
		typ, ok := field(svc, "type").Str()
		if !ok {
			return newError(CodeDocumentComposerPatchServiceTypeNotString, "service type must be a string")
		}
		if utf16Len(typ) > maxServiceTypeLength {
			return newError(CodeDocumentComposerPatchServiceTypeTooLong, "service type is longer than %d characters", maxServiceTypeLength)
		}
		endpoint := field(svc, "serviceEndpoint")
		switch endpoint.Kind() {
		case KindString:
			if s, _ := endpoint.Str(); !isValidServiceEndpointURI(s) {
				return newError(CodeDocumentComposerPatchServiceEndpointStringNotValidUri, "service endpoint %q is not a valid URI", truncate(s))
			}
		case KindArray:
			return newError(CodeDocumentComposerPatchServiceEndpointCannotBeAnArray, "service endpoint cannot be an array")
		case KindObject, KindNull:
		default:
			return newError(CodeDocumentComposerPatchServiceEndpointMustBeStringOrNonArrayObject, "service endpoint must be a string or an object")
		}
	}
	return nil
}

func validateID(id Value) error {
	s, ok := id.Str()
	if !ok {
		return newError(CodeDocumentComposerIdNotString, "id must be a string")
	}
	if utf16Len(s) > maxIDLength {
		return newError(CodeDocumentComposerIdTooLong, "id is longer than %d characters", maxIDLength)
	}
	if !IsBase64URL(s) {
		return newError(CodeDocumentComposerIdNotUsingBase64UrlCharacterSet, "id %q is not base64url", truncate(s))
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
			*doc = Value{kind: KindObject, members: []Member{}}
			for _, m := range replacement.Members() {
				doc.Set(m.Key, m.Value)
			}
		case PatchAddPublicKeys:
			keys := field(*doc, "publicKeys").Elems()
			merged := append([]Value(nil), keys...)
			for _, k := range field(p, "publicKeys").Elems() {
				merged = upsertByID(merged, k)
			}
			doc.Set("publicKeys", Value{kind: KindArray, arr: merged})
		case PatchRemovePublicKeys:
			removeByIDs(doc, "publicKeys", field(p, "ids"))
		case PatchAddServices:
			services := append([]Value(nil), field(*doc, "services").Elems()...)
			for _, s := range field(p, "services").Elems() {
				services = upsertByID(services, s)
			}
			doc.Set("services", Value{kind: KindArray, arr: services})
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
	doc.Set(prop, Value{kind: KindArray, arr: kept})
}
