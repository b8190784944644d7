package sidetree

const (
	didResolutionContext = "https://w3id.org/did-resolution/v1"
	didDocumentContext   = "https://www.w3.org/ns/did/v1"
)

// ResolutionResult composes the body ION returns from GET /identifiers/{did} for a DID and its state, as
// the reference's DocumentComposer.transformToExternalDocument: the property order is part of the result.
//
// Every resolution composes one, so its objects and arrays are carved from two slices sized up front and
// its "#id" references from one string: a handful of allocations instead of one or two per object. Each
// carved slice is capped at its own length, so a caller's later Set or append copies instead of writing
// into a neighbour.
func ResolutionResult(state *State, did *DID, published bool) Value {
	if state.Deactivated() {
		return deactivatedResult(did.ShortForm, published)
	}
	// The DID is written two or more times (a long-form one is ~1 KB): scanned for escapes once, here,
	// if ParseDID did not already know. Its short form is a prefix of it.
	id := stringValue(did.String(), did.plain || jsonPlain(did.String()))
	shortForm := id
	if !did.IsShortForm() {
		shortForm.setStr(did.ShortForm)
	}
	doc := state.Document
	keys := field(doc, "publicKeys").Elems()
	services := field(doc, "services")
	hasServices := services.Kind() == KindArray

	// Count what the result holds: relationships (distinct purposes, with their number of keys) and the
	// length of the "#id" references.
	type relationship struct {
		purpose string
		n       int
	}
	var relStore [5]relationship // the five purposes ION allows
	rels, refBytes := relStore[:0], 0
	for _, key := range keys {
		keyID, _ := field(key, "id").Str()
		refBytes += 1 + len(keyID)
		purposes := field(key, "purposes").Elems()
		for i := range purposes {
			purpose, ok := uniqueStringAt(purposes, i)
			if !ok {
				continue
			}
			known := false
			for j := range rels {
				if rels[j].purpose == purpose {
					rels[j].n++
					known = true
					break
				}
			}
			if !known {
				rels = append(rels, relationship{purpose, 1})
			}
		}
	}
	refCount := 0
	for _, r := range rels {
		refCount += r.n
	}
	for _, svc := range services.Elems() {
		svcID, _ := field(svc, "id").Str()
		refBytes += 1 + len(svcID)
	}
	documentLen := 2 + len(rels)
	if hasServices {
		documentLen++
	}
	if len(keys) > 0 {
		documentLen++
	}
	a := carver{
		members: make([]Member, 0, 3+documentLen+1+4*len(keys)+3*services.Len()+3+3),
		values:  make([]Value, 0, 2+len(keys)+refCount+services.Len()+1),
	}
	refText := make([]byte, 0, refBytes)
	for _, items := range [][]Value{keys, services.Elems()} {
		for _, item := range items {
			itemID, _ := field(item, "id").Str()
			refText = append(append(refText, '#'), itemID...)
		}
	}
	allRefs := string(refText)
	// refOf takes the next reference, "#" and the id of the key or service, in the order written above.
	refOf := func(item Value) Value {
		itemID := field(item, "id")
		ref := allRefs[:1+len(itemID.str())]
		allRefs = allRefs[len(ref):]
		return stringValue(ref, itemID.plain) // "#" and a plain id are plain
	}

	methods := a.array(len(keys))
	var relStore2 [len(relStore)]Value // each relationship's array, as rels orders them
	relationships := relStore2[:0]
	if len(rels) > len(relStore2) {
		relationships = make([]Value, 0, len(rels)) // more than ION's purposes: only a hand-made state
	}
	relationships = relationships[:len(rels)]
	for j, r := range rels {
		relationships[j] = a.array(r.n)
	}
	for _, key := range keys {
		ref := refOf(key)
		vm := a.object(4)
		vm.appendMembers(Member{"id", ref}, Member{"controller", id})
		setIfDefined(&vm, "type", field(key, "type"))
		setIfDefined(&vm, "publicKeyJwk", field(key, "publicKeyJwk"))
		methods.appendElems(vm)
		purposes := field(key, "purposes").Elems()
		for i := range purposes {
			purpose, ok := uniqueStringAt(purposes, i)
			if !ok {
				continue
			}
			for j := range rels {
				if rels[j].purpose == purpose {
					relationships[j].appendElems(ref)
					break
				}
			}
		}
	}
	document := a.object(documentLen)
	document.appendMembers(Member{"id", id},
		Member{"@context", a.arrayOf(String(didDocumentContext), a.objectOf(Member{"@base", id}))})
	if hasServices {
		out := a.array(services.Len())
		for _, svc := range services.Elems() {
			s := a.object(3)
			s.appendMembers(Member{"id", refOf(svc)})
			setIfDefined(&s, "type", field(svc, "type"))
			setIfDefined(&s, "serviceEndpoint", field(svc, "serviceEndpoint"))
			out.appendElems(s)
		}
		document.appendMembers(Member{"service", out})
	}
	if len(keys) > 0 {
		document.appendMembers(Member{"verificationMethod", methods})
	}
	for j, r := range rels {
		document.Set(r.purpose, relationships[j]) // JavaScript's order, should a purpose ever be an array index
	}
	method := a.object(3)
	method.appendMembers(Member{"published", Bool(published)},
		Member{"recoveryCommitment", String(state.NextRecoveryCommitment)})
	if state.NextUpdateCommitment != "" {
		method.appendMembers(Member{"updateCommitment", String(state.NextUpdateCommitment)})
	}
	metadata := a.object(3)
	metadata.appendMembers(Member{"method", method})
	if did.IsShortForm() {
		metadata.appendMembers(Member{"canonicalId", shortForm})
	} else {
		metadata.appendMembers(Member{"equivalentId", a.arrayOf(shortForm)})
		if published {
			metadata.appendMembers(Member{"canonicalId", shortForm})
		}
	}
	return a.objectOf(
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

// uniqueStringAt returns elems[i] if it is a string no earlier element equals: new Set(purposes) in the
// reference (purposes are validated strings without duplicates, so this only guards the composition).
func uniqueStringAt(elems []Value, i int) (string, bool) {
	s, ok := elems[i].Str()
	if !ok {
		return "", false
	}
	for _, earlier := range elems[:i] {
		if t, ok := earlier.Str(); ok && t == s {
			return "", false
		}
	}
	return s, true
}
