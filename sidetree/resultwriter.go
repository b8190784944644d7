package sidetree

import "slices"

// A GET /identifiers answer is serialized once and sent: composing its tree of Values (ResolutionResult)
// only to write it out cost a resolution a sixth of its CPU time and half of its allocations. The
// functions here write the same bytes straight from the state. ResolutionResult stays for callers that
// need the tree (verifiers, resolver results) and is the oracle the writer is fuzzed against
// (FuzzAppendResolutionResult): the two must agree byte for byte on every state.

// The fixed text around a result's values.
const (
	resultHead       = `{"@context":"` + didResolutionContext + `","didDocument":{"id":`
	resultContext    = `,"@context":["` + didDocumentContext + `",{"@base":`
	resultMetadata   = `},"didDocumentMetadata":{"method":{"published":`
	resultRecovery   = `,"recoveryCommitment":`
	resultUpdate     = `,"updateCommitment":`
	resultCanonical  = `,"canonicalId":`
	resultEquivalent = `,"equivalentId":[`
)

// AppendResolutionResult appends ResolutionResult(state, did, published).AppendStringify's bytes to dst
// without composing the result.
func AppendResolutionResult(dst []byte, state *State, did *DID, published bool) []byte {
	if state.Deactivated() {
		return appendDeactivatedResult(dst, did.ShortForm, published)
	}
	doc := state.Document
	// Each key's members are read once, here (keyPartsOf).
	var partStore [4]keyParts
	keys := partStore[:0]
	for _, key := range field(doc, "publicKeys").Elems() {
		keys = append(keys, keyPartsOf(key))
	}
	// The relationships are the keys' distinct purposes, in the order they first appear. The result
	// sets each on the document as JavaScript does: one that is an array index or that names a member
	// already there would move or replace it, which only the tree does (ION's five purposes never do).
	var relStore [5]string
	rels := relStore[:0]
	for _, key := range keys {
		purposes := key.purposes.Elems()
		for i := range purposes {
			purpose, ok := uniqueStringAt(purposes, i)
			if !ok || slices.Contains(rels, purpose) {
				continue
			}
			if !appendablePurpose(purpose) {
				return ResolutionResult(state, did, published).AppendStringify(dst)
			}
			rels = append(rels, purpose)
		}
	}
	id := did.String()
	plain := did.plain || jsonPlain(id) // the DID is written three times or more: scanned once
	b := appendStr(append(dst, resultHead...), id, plain)
	b = append(appendStr(append(b, resultContext...), id, plain), "}]"...)
	if services := field(doc, "services"); services.Kind() == KindArray {
		b = append(b, `,"service":[`...)
		for i, svc := range services.Elems() {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendRef(append(b, `{"id":`...), field(svc, "id"))
			b = appendIfDefined(b, `,"type":`, field(svc, "type"))
			b = append(appendIfDefined(b, `,"serviceEndpoint":`, field(svc, "serviceEndpoint")), '}')
		}
		b = append(b, ']')
	}
	if len(keys) > 0 {
		b = append(b, `,"verificationMethod":[`...)
		for i, key := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendRef(append(b, `{"id":`...), key.id)
			b = appendStr(append(b, `,"controller":`...), id, plain)
			b = appendIfDefined(b, `,"type":`, key.typ)
			b = append(appendIfDefined(b, `,"publicKeyJwk":`, key.jwk), '}')
		}
		b = append(b, ']')
	}
	for _, purpose := range rels {
		b = append(appendString(append(b, ','), purpose), ":["...)
		first := true
		for _, key := range keys {
			if !hasStringElem(key.purposes.Elems(), purpose) {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendRef(b, key.id)
		}
		b = append(b, ']')
	}
	b = appendBool(append(b, resultMetadata...), published)
	b = appendString(append(b, resultRecovery...), state.NextRecoveryCommitment)
	if state.NextUpdateCommitment != "" {
		b = appendString(append(b, resultUpdate...), state.NextUpdateCommitment)
	}
	b = append(b, '}')
	shortForm := did.ShortForm
	if did.IsShortForm() {
		shortForm = id
	}
	switch {
	case did.IsShortForm():
		b = appendStr(append(b, resultCanonical...), shortForm, plain)
	case published:
		b = append(appendStr(append(b, resultEquivalent...), shortForm, plain), ']')
		b = appendStr(append(b, resultCanonical...), shortForm, plain)
	default:
		b = append(appendStr(append(b, resultEquivalent...), shortForm, plain), ']')
	}
	return append(b, "}}"...)
}

// appendDeactivatedResult writes deactivatedResult(did, published).
func appendDeactivatedResult(b []byte, did string, published bool) []byte {
	b = appendString(append(b, resultHead...), did)
	b = append(appendString(append(b, resultContext...), did), "}]"...)
	b = append(appendBool(append(b, resultMetadata...), published), '}')
	b = appendString(append(b, resultCanonical...), did)
	return append(b, `,"deactivated":true}}`...)
}

// appendablePurpose reports whether setting purpose on a document that has id, @context, service and
// verificationMethod appends it last.
func appendablePurpose(purpose string) bool {
	if _, index := arrayIndex(purpose); index {
		return false
	}
	switch purpose {
	case "id", "@context", "service", "verificationMethod":
		return false
	}
	return true
}

// hasStringElem reports whether some element of elems is the string s.
func hasStringElem(elems []Value, s string) bool {
	for _, e := range elems {
		if t, ok := e.Str(); ok && t == s {
			return true
		}
	}
	return false
}

// appendStr writes s as a JSON string, as one copy when the caller knows it is plain (jsonPlain).
func appendStr(b []byte, s string, plain bool) []byte {
	if plain {
		return appendPlainString(b, s)
	}
	return appendString(b, s)
}

// appendRef writes the reference "#id" to a key or service with that id (a missing or non-string id is
// "#").
func appendRef(b []byte, id Value) []byte {
	b = append(b, `"#`...)
	s := id.str()
	if id.plain {
		b = append(b, s...)
		return append(b, '"')
	}
	// The escapes of "#" + s are "#" and the escapes of s: s is written quoted, then its opening quote
	// dropped.
	start := len(b)
	b = appendString(b, s)
	return append(b[:start], b[start+1:]...)
}

// appendIfDefined writes a member, its key already quoted in prefix, unless the value is missing.
func appendIfDefined(b []byte, prefix string, v Value) []byte {
	if v.Kind() == kindUndefined {
		return b
	}
	return v.appendJSON(append(b, prefix...), false)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}
