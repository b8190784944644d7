package sidetree

// keyParts are the members of a document's public key that validation checks and a resolution result
// shows, each missing (kindUndefined) when the key has none. Both read them in one pass over the key's
// members (keyPartsOf): looking each up by name where it is used was a quarter of writing a result.
type keyParts struct{ id, typ, jwk, purposes Value }

// keyPartsOf reads a key's parts in one pass over its members, each the first of its name as Get finds it.
func keyPartsOf(key Value) keyParts {
	undefined := Value{kind: kindUndefined}
	k := keyParts{undefined, undefined, undefined, undefined}
	for _, m := range key.Members() {
		var to *Value
		switch m.Key {
		case "id":
			to = &k.id
		case "type":
			to = &k.typ
		case "publicKeyJwk":
			to = &k.jwk
		case "purposes":
			to = &k.purposes
		default:
			continue
		}
		if to.kind == kindUndefined {
			*to = m.Value
		}
	}
	return k
}
