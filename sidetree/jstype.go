package sidetree

// The reference validates JSON with JavaScript operators whose answers for null, arrays and primitives are
// easy to get wrong (typeof null is "object"; for-in over a string visits its indices; Object.keys(null)
// throws). These helpers answer as JavaScript does, so validation accepts and rejects exactly what the
// reference accepts and rejects.

// isJSObjectType reports typeof v === "object": objects, arrays and null.
func isJSObjectType(v Value) bool {
	return v.kind == KindObject || v.kind == KindArray || v.kind == KindNull
}

// forInKeys lists the keys a for-in loop visits: an object's properties, an array's or a string's indices.
// Nothing for other values (including null and undefined, where for-in runs zero times).
func forInKeys(v Value) []string {
	switch v.kind {
	case KindObject:
		keys := make([]string, len(v.members()))
		for i, m := range v.members() {
			keys[i] = m.Key
		}
		return keys
	case KindArray:
		return indexKeys(len(v.arr()))
	case KindString:
		return indexKeys(utf16Len(v.str()))
	}
	return nil
}

// forInKeyNotIn returns the first key a for-in loop over v visits that is not in allowed, as a validator
// looking for a disallowed property sees it, without listing the keys (validation runs on every request
// and every long-form DID; the list was most of its allocations).
func forInKeyNotIn(v Value, allowed ...string) (string, bool) {
	switch v.kind {
	case KindObject:
		for _, m := range v.members() {
			if !contains(allowed, m.Key) {
				return m.Key, true
			}
		}
	case KindArray, KindString:
		n := len(v.arr())
		if v.kind == KindString {
			n = utf16Len(v.str())
		}
		for i := range min(n, 64) { // forInKeys' bound
			if k := itoa(i); !contains(allowed, k) {
				return k, true
			}
		}
	}
	return "", false
}

func indexKeys(n int) []string {
	if n > 64 {
		n = 64 // enough to find a disallowed key; callers only look for the first one
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = itoa(i)
	}
	return keys
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// propertyOf is `v.key` in JavaScript for the cases that matter here: objects have properties; strings,
// arrays, numbers and booleans have none of the names the protocol uses; null and undefined throw.
func propertyOf(v Value, key string) (Value, error) {
	switch v.kind {
	case KindNull, kindUndefined:
		return Value{}, newError(CodeInvalidJSON, "cannot read property %q of %s", key, jsTypeName(v))
	case KindObject:
		return field(v, key), nil
	}
	return Value{kind: kindUndefined}, nil
}

// objectKeysLen is Object.keys(v).length; null and undefined throw.
func objectKeysLen(v Value) (int, error) {
	switch v.kind {
	case KindNull, kindUndefined:
		return 0, newError(CodeInvalidJSON, "cannot convert %s to object", jsTypeName(v))
	case KindObject:
		return len(v.members()), nil
	case KindArray:
		return len(v.arr()), nil
	case KindString:
		return utf16Len(v.str()), nil
	}
	return 0, nil
}

// hasProperty is `key in v`; it throws for anything but objects and arrays.
func hasProperty(v Value, key string) (bool, error) {
	switch v.kind {
	case KindObject:
		return v.Has(key), nil
	case KindArray:
		return false, nil // arrays here never carry the protocol's named properties
	}
	return false, newError(CodeInvalidJSON, "cannot use 'in' on %s", jsTypeName(v))
}

func jsTypeName(v Value) string {
	switch v.kind {
	case KindNull:
		return "null"
	case KindBool:
		return "boolean"
	case KindNumber:
		return "number"
	case KindString:
		return "string"
	case KindArray:
		return "array"
	case KindObject:
		return "object"
	}
	return "undefined"
}

// sameValueZero compares as a JavaScript Set does: primitives by value, objects and arrays by identity
// (two parsed objects are never the same).
func sameValueZero(a, b Value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case KindNull:
		return true
	case KindBool:
		return a.b == b.b
	case KindNumber:
		return a.num() == b.num()
	case KindString:
		return a.str() == b.str()
	}
	return false
}

// Field returns the property key of an object; for a missing property (or a non-object) it returns a
// Value whose IsUndefined is true, as JavaScript's property access yields undefined.
func (v Value) Field(key string) Value {
	if v.kind != KindObject {
		return Value{kind: kindUndefined}
	}
	return field(v, key)
}

// Undefined returns what Field returns for a missing property.
func Undefined() Value { return Value{kind: kindUndefined} }

// IsUndefined reports whether v stands for a missing property.
func (v Value) IsUndefined() bool { return v.kind == kindUndefined }

// ForInKeys lists the keys a JavaScript for-in loop over v visits (see forInKeys).
func (v Value) ForInKeys() []string { return forInKeys(v) }

// ForInKeyNotIn returns the first key a for-in loop over v visits that is not in allowed, if any, without
// listing the keys.
func (v Value) ForInKeyNotIn(allowed ...string) (string, bool) { return forInKeyNotIn(v, allowed...) }

// IsJSObjectType reports whether typeof v is "object" in JavaScript (objects, arrays and null).
func (v Value) IsJSObjectType() bool { return isJSObjectType(v) }

// UTF16Len is the length JavaScript reports for a string.
func UTF16Len(s string) int { return utf16Len(s) }
