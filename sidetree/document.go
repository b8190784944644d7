package sidetree

const (
	didResolutionContext = "https://w3id.org/did-resolution/v1"
	didDocumentContext   = "https://www.w3.org/ns/did/v1"
)

// ResolutionResult composes the body ION returns from GET /identifiers/{did} for a DID and its state, as
// the reference's DocumentComposer.transformToExternalDocument: the property order is part of the result.
func ResolutionResult(state *State, did *DID, published bool) Value {
	if state.Deactivated() {
		return deactivatedResult(did.ShortForm, published)
	}
	id := did.String()
	var methods []Value
	relationships := Object()
	doc := state.Document
	for _, key := range field(doc, "publicKeys").Elems() {
		keyID, _ := field(key, "id").Str()
		ref := String("#" + keyID)
		vm := Object()
		vm.Set("id", ref)
		vm.Set("controller", String(id))
		setIfDefined(&vm, "type", field(key, "type"))
		setIfDefined(&vm, "publicKeyJwk", field(key, "publicKeyJwk"))
		methods = append(methods, vm)
		for _, purpose := range uniqueStrings(field(key, "purposes")) {
			list, _ := relationships.Get(purpose)
			if list.Kind() != KindArray {
				list = Array()
			}
			list.arr = append(list.arr, ref)
			relationships.Set(purpose, list)
		}
	}
	document := Object()
	document.Set("id", String(id))
	document.Set("@context", Array(String(didDocumentContext), Object(Member{"@base", String(id)})))
	if services := field(doc, "services"); services.Kind() == KindArray {
		out := make([]Value, 0, services.Len())
		for _, svc := range services.Elems() {
			svcID, _ := field(svc, "id").Str()
			s := Object()
			s.Set("id", String("#"+svcID))
			setIfDefined(&s, "type", field(svc, "type"))
			setIfDefined(&s, "serviceEndpoint", field(svc, "serviceEndpoint"))
			out = append(out, s)
		}
		document.Set("service", Array(out...))
	}
	if len(methods) > 0 {
		document.Set("verificationMethod", Array(methods...))
	}
	for _, m := range relationships.Members() {
		document.Set(m.Key, m.Value)
	}
	method := Object()
	method.Set("published", Bool(published))
	method.Set("recoveryCommitment", String(state.NextRecoveryCommitment))
	if state.NextUpdateCommitment != "" {
		method.Set("updateCommitment", String(state.NextUpdateCommitment))
	}
	metadata := Object(Member{"method", method})
	if did.IsShortForm() {
		metadata.Set("canonicalId", String(did.ShortForm))
	} else {
		metadata.Set("equivalentId", Array(String(did.ShortForm)))
		if published {
			metadata.Set("canonicalId", String(did.ShortForm))
		}
	}
	return Object(
		Member{"@context", String(didResolutionContext)},
		Member{"didDocument", document},
		Member{"didDocumentMetadata", metadata},
	)
}

func deactivatedResult(did string, published bool) Value {
	document := Object(
		Member{"id", String(did)},
		Member{"@context", Array(String(didDocumentContext), Object(Member{"@base", String(did)}))},
	)
	metadata := Object(
		Member{"method", Object(Member{"published", Bool(published)})},
		Member{"canonicalId", String(did)},
		Member{"deactivated", Bool(true)},
	)
	return Object(
		Member{"@context", String(didResolutionContext)},
		Member{"didDocument", document},
		Member{"didDocumentMetadata", metadata},
	)
}

// setIfDefined sets a property unless the value is missing: JSON.stringify drops undefined properties.
func setIfDefined(o *Value, key string, v Value) {
	if v.Kind() != kindUndefined {
		o.Set(key, v)
	}
}

// uniqueStrings returns the distinct purposes in order (new Set(purposes) in the reference; purposes are
// validated strings without duplicates, so this only guards the composition).
func uniqueStrings(v Value) []string {
	var out []string
	for _, e := range v.Elems() {
		s, ok := e.Str()
		if ok && !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
